package dev.consensus.store.mvcc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import dev.consensus.api.etcdserverpb.DeleteRangeRequest;
import dev.consensus.api.etcdserverpb.DeleteRangeResponse;
import dev.consensus.api.etcdserverpb.LeaseGrantRequest;
import dev.consensus.api.etcdserverpb.PutRequest;
import dev.consensus.api.etcdserverpb.PutResponse;
import dev.consensus.api.etcdserverpb.RangeRequest;
import dev.consensus.api.etcdserverpb.RangeResponse;
import dev.consensus.api.etcdserverpb.TxnRequest;
import dev.consensus.api.etcdserverpb.TxnResponse;
import dev.consensus.api.mvccpb.KeyValue;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * A real store in a test's temporary directory, applied to as the server would: every write gets
 * the next Raft index. Short helpers keep tests reading as the behaviour they check; keys and
 * values are UTF-8 text.
 */
final class MvccFixture implements AutoCloseable {

    final Path dir;
    final MvccConfig config;
    private MvccStore store;
    private long index;
    private long term = 1;

    private MvccFixture(Path dir, MvccConfig config) {
        this.dir = dir;
        this.config = config;
        this.store = MvccStore.open(dir, config);
        this.index = store.appliedIndex();
    }

    static MvccFixture open(Path dir) {
        return open(dir, MvccConfig.defaults());
    }

    static MvccFixture open(Path dir, MvccConfig config) {
        return new MvccFixture(dir, config);
    }

    MvccStore store() {
        return store;
    }

    /** The position of the next entry to apply. */
    RaftPosition next() {
        return new RaftPosition(++index, term);
    }

    /** Closes and opens the store again on the same directory, as a restart does. */
    void reopen() {
        store.close();
        store = MvccStore.open(dir, config);
        index = store.appliedIndex();
    }

    PutResponse put(String key, String value) {
        return put(PutRequest.newBuilder().setKey(bytes(key)).setValue(bytes(value)));
    }

    PutResponse put(PutRequest.Builder request) {
        return store.put(next(), request.build());
    }

    long grant(long id, long ttl) {
        return store.leaseGrant(next(), LeaseGrantRequest.newBuilder().setID(id).setTTL(ttl).build()).getID();
    }

    RangeResponse get(String key) {
        return store.range(RangeRequest.newBuilder().setKey(bytes(key)).build());
    }

    /** The value of {@code key} now, or null. */
    String value(String key) {
        List<KeyValue> kvs = get(key).getKvsList();
        return kvs.isEmpty() ? null : text(kvs.get(0).getValue());
    }

    RangeResponse range(RangeRequest.Builder request) {
        return store.range(request.build());
    }

    DeleteRangeResponse delete(String key) {
        return store.deleteRange(next(), DeleteRangeRequest.newBuilder().setKey(bytes(key)).build());
    }

    DeleteRangeResponse delete(DeleteRangeRequest.Builder request) {
        return store.deleteRange(next(), request.build());
    }

    TxnResponse txn(TxnRequest.Builder request) {
        return store.txn(next(), request.build());
    }

    @Override
    public void close() {
        store.close();
    }

    static ByteString bytes(String text) {
        return ByteString.copyFromUtf8(text);
    }

    static String text(ByteString bytes) {
        return bytes.toStringUtf8();
    }

    /** Every key of a prefix, as etcdctl's --prefix asks for it. */
    static RangeRequest.Builder prefix(String prefix) {
        byte[] end = prefix.getBytes(StandardCharsets.UTF_8);
        end[end.length - 1]++;
        return RangeRequest.newBuilder().setKey(bytes(prefix)).setRangeEnd(ByteString.copyFrom(end));
    }

    static List<String> keys(RangeResponse response) {
        return response.getKvsList().stream().map(kv -> text(kv.getKey())).toList();
    }

    /** Runs a call that must fail with an etcd error and returns that error. */
    static EtcdError etcdError(Runnable call) {
        EtcdException e = catchThrowableOfType(EtcdException.class, call::run);
        assertThat(e).as("the call should have failed with an etcd error").isNotNull();
        return e.error();
    }
}
