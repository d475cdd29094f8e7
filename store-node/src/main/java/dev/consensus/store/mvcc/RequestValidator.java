package dev.consensus.store.mvcc;

import dev.consensus.api.etcdserverpb.DeleteRangeRequest;
import dev.consensus.api.etcdserverpb.PutRequest;
import dev.consensus.api.etcdserverpb.RangeRequest;
import dev.consensus.api.etcdserverpb.TxnRequest;

/**
 * The checks etcd makes on a KV request before proposing it (its v3rpc layer), in etcd's order and
 * words, for the server to call before a request costs a Raft entry. Each method throws
 * {@link EtcdException} or returns normally.
 *
 * <ul>
 *   <li>before Raft, here: empty key ({@code key is not provided}), {@code ignore_value} with a
 *       value, {@code ignore_lease} with a lease, a txn op with no request ({@code key not
 *       found}), more than {@code maxTxnOps} compares or ops in a branch, a txn branch writing a
 *       key twice ({@code duplicate key given in txn request});</li>
 *   <li>at apply, in the store (they depend on the state): {@code ignore_value}/{@code
 *       ignore_lease} on a missing key ({@code key not found}), a lease that does not exist,
 *       future and compacted revisions, lease already exists, lease TTL too large.</li>
 * </ul>
 *
 * <p>The store repeats the first group at apply, except the op count, which is a per-member flag.
 */
public final class RequestValidator {

    private final MvccConfig config;

    public RequestValidator(MvccConfig config) {
        this.config = config;
    }

    public void checkRange(RangeRequest request) {
        RequestChecks.range(ProtoRequests.range(request));
    }

    public void checkPut(PutRequest request) {
        RequestChecks.put(ProtoRequests.put(request));
    }

    public void checkDeleteRange(DeleteRangeRequest request) {
        RequestChecks.delete(ProtoRequests.delete(request));
    }

    public void checkTxn(TxnRequest request) {
        RequestChecks.txn(ProtoRequests.txn(request), config.maxTxnOps());
    }
}
