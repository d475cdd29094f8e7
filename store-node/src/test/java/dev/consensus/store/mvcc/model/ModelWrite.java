package dev.consensus.store.mvcc.model;

import com.google.protobuf.ByteString;
import dev.consensus.api.etcdserverpb.DeleteRangeRequest;
import dev.consensus.api.etcdserverpb.DeleteRangeResponse;
import dev.consensus.api.etcdserverpb.PutRequest;
import dev.consensus.api.etcdserverpb.PutResponse;
import dev.consensus.api.etcdserverpb.RangeRequest;
import dev.consensus.api.etcdserverpb.RangeResponse;
import dev.consensus.api.etcdserverpb.ResponseHeader;
import dev.consensus.api.mvccpb.KeyValue;
import java.util.ArrayList;
import java.util.List;

/**
 * One write request in progress (etcd's storeTxnWrite): everything it writes goes to revision
 * {@code begin + 1}, and its reads see its own earlier writes. Checks that can refuse the request
 * are the caller's, made before the first write, so a refused request changes nothing.
 */
final class ModelWrite {

    private final ModelHistory history;
    private final long begin;
    private final List<ModelHistory.Change> changes = new ArrayList<>();

    ModelWrite(ModelHistory history, long begin) {
        this.history = history;
        this.begin = begin;
    }

    /** The revision reads inside this write see: the next one once something was written. */
    long view() {
        return changed() ? begin + 1 : begin;
    }

    boolean changed() {
        return !changes.isEmpty();
    }

    List<ModelHistory.Change> changes() {
        return changes;
    }

    KeyValue get(ByteString key) {
        return history.get(key, view());
    }

    /** A put whose lease exists and whose ignore_* flags found the key (the caller checked). */
    PutResponse put(PutRequest request) {
        KeyValue prev = get(request.getKey());
        if ((request.getIgnoreValue() || request.getIgnoreLease()) && prev == null) {
            // Only a txn that deleted the key with a "\0" range end before this put gets here:
            // etcd checked the flag against the state before the txn and now panics.
            throw new IllegalStateException("etcd panics on ignore_value/ignore_lease of a key its own txn"
                    + " deleted; the generator must not send this");
        }
        long revision = begin + 1;
        KeyValue kv = KeyValue.newBuilder()
                .setKey(request.getKey())
                .setValue(request.getIgnoreValue() ? prev.getValue() : request.getValue())
                .setLease(request.getIgnoreLease() ? prev.getLease() : request.getLease())
                .setCreateRevision(prev == null ? revision : prev.getCreateRevision())
                .setModRevision(revision)
                .setVersion(prev == null ? 1 : prev.getVersion() + 1)
                .build();
        history.put(revision, kv);
        changes.add(history.lastChange(kv.getKey(), revision));
        PutResponse.Builder response = PutResponse.newBuilder().setHeader(header(revision));
        if (request.getPrevKv() && prev != null) {
            response.setPrevKv(prev);
        }
        return response.build();
    }

    DeleteRangeResponse delete(DeleteRangeRequest request) {
        List<KeyValue> doomed = history.range(new KeySpan(request.getKey(), request.getRangeEnd()), view());
        long revision = begin + 1;
        for (KeyValue kv : doomed) {
            history.delete(revision, kv.getKey());
            changes.add(history.lastChange(kv.getKey(), revision));
        }
        DeleteRangeResponse.Builder response = DeleteRangeResponse.newBuilder()
                .setHeader(header(view()))
                .setDeleted(doomed.size());
        if (request.getPrevKv()) {
            response.addAllPrevKvs(doomed);
        }
        return response.build();
    }

    /** A range whose revision the caller checked; {@code revision <= 0} reads this write's view. */
    RangeResponse range(RangeRequest request) {
        long at = request.getRevision() <= 0 ? view() : request.getRevision();
        return ModelRange.read(history, request, at, view());
    }

    static ResponseHeader header(long revision) {
        return ResponseHeader.newBuilder().setRevision(revision).build();
    }
}
