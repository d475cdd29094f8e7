package dev.consensus.store.mvcc;

import com.google.protobuf.ByteString;
import dev.consensus.api.mvccpb.KeyValue;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The writes of one applied entry: every put and delete gets the next sub revision of the entry's
 * main revision, goes into the entry's {@link ApplyBatch} and into the index at once, so later
 * operations of the same txn see it (as in etcd). If the entry fails half-way, {@link #rollback()}
 * restores the index and leases exactly, and the entry's part of the batch is dropped. Values
 * written but not yet in RocksDB (by this entry, or by an earlier one applied together with it)
 * are read from {@code written}. Used only under the state write lock.
 */
final class WriteTxn {

    private final TreeIndex index;
    private final Lessor lessor;
    private final ApplyBatch batch;
    private final long beginRevision;
    private final Map<Revision, KeyValue> written;
    private final Deque<Runnable> undo = new ArrayDeque<>();
    private final IndexView view;
    private int changes;

    WriteTxn(TreeIndex index, Lessor lessor, ApplyBatch batch, long beginRevision, long compactRevision,
            Map<Revision, KeyValue> written, Function<Revision, KeyValue> stored) {
        this.index = index;
        this.written = written;
        this.lessor = lessor;
        this.batch = batch;
        this.beginRevision = beginRevision;
        this.view = new IndexView(index, () -> changes > 0 ? beginRevision + 1 : beginRevision, compactRevision,
                rev -> {
                    KeyValue own = written.get(rev);
                    return own != null ? own : stored.apply(rev);
                });
    }

    /** Reads at the revision before this txn, or at its own once it has written. */
    IndexView view() {
        return view;
    }

    boolean changed() {
        return changes > 0;
    }

    /** The revision this txn writes at. */
    long writeRevision() {
        return beginRevision + 1;
    }

    PutResult put(PutSpec spec) {
        KeyValue previous = null;
        if (spec.ignoreValue() || spec.ignoreLease() || spec.prevKv()) {
            previous = view.get(spec.key());
        }
        if ((spec.ignoreValue() || spec.ignoreLease()) && previous == null) {
            throw EtcdError.KEY_NOT_FOUND.exception();
        }
        ByteString value = spec.ignoreValue() ? previous.getValue() : spec.value();
        long lease = spec.ignoreLease() ? previous.getLease() : spec.lease();
        if (lease != 0 && !lessor.exists(lease)) {
            throw EtcdError.LEASE_NOT_FOUND.exception();
        }
        write(spec.key(), value, lease);
        return new PutResult(writeRevision(), spec.prevKv() ? previous : null);
    }

    DeleteResult deleteRange(DeleteSpec spec) {
        List<KeyValue> previous = spec.prevKv() ? view.getAll(spec.range()) : List.of();
        List<ByteString> keys = index.liveKeys(spec.range(), view.revision());
        keys.forEach(this::deleteKey);
        return new DeleteResult(changed() ? writeRevision() : beginRevision, keys.size(), previous);
    }

    /** Writes a tombstone for a live key and detaches it from its lease. */
    void deleteKey(ByteString key) {
        Revision revision = new Revision(writeRevision(), changes);
        if (!index.tombstone(key, revision)) {
            throw new IllegalStateException("delete of key " + key.toStringUtf8() + " which is not live");
        }
        undo.push(() -> index.undoTombstone(key));
        batch.putKv(new RevisionKey(revision, true), KeyValue.newBuilder().setKey(key).build());
        changes++;
        long oldLease = lessor.leaseOf(key);
        if (oldLease != 0) {
            lessor.detach(key);
            undo.push(() -> lessor.attach(oldLease, key));
        }
    }

    /** Undoes every change to the index and the leases, newest first. */
    void rollback() {
        while (!undo.isEmpty()) {
            undo.pop().run();
        }
        changes = 0;
    }

    private void write(ByteString key, ByteString value, long lease) {
        Revision revision = new Revision(writeRevision(), changes);
        KeyIndex.Found found = index.get(key, writeRevision());
        KeyValue kv = KeyValue.newBuilder()
                .setKey(key)
                .setValue(value)
                .setCreateRevision(found == null ? writeRevision() : found.created().main())
                .setModRevision(writeRevision())
                .setVersion(found == null ? 1 : found.version() + 1)
                .setLease(lease)
                .build();
        index.put(key, revision);
        undo.push(() -> index.undoPut(key));
        batch.putKv(new RevisionKey(revision, false), kv);
        written.put(revision, kv);
        undo.push(() -> written.remove(revision));
        changes++;
        long oldLease = lessor.leaseOf(key);
        if (oldLease != 0) {
            lessor.detach(key);
        }
        if (lease != 0) {
            lessor.attach(lease, key);
        }
        undo.push(() -> {
            lessor.detach(key);
            if (oldLease != 0) {
                lessor.attach(oldLease, key);
            }
        });
    }
}
