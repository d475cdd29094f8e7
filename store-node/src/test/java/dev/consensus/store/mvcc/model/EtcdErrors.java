package dev.consensus.store.mvcc.model;

import io.grpc.Status;

/**
 * The errors etcd answers KV, lease and txn requests with, as its clients receive them (gRPC code
 * and description, api/v3rpc/rpctypes/error.go). Written out here, not taken from the store, so
 * that the model does not share the code it checks.
 */
public final class EtcdErrors {

    public static final Outcome.Failed EMPTY_KEY = invalid("etcdserver: key is not provided");
    public static final Outcome.Failed KEY_NOT_FOUND = invalid("etcdserver: key not found");
    public static final Outcome.Failed VALUE_PROVIDED = invalid("etcdserver: value is provided");
    public static final Outcome.Failed LEASE_PROVIDED = invalid("etcdserver: lease is provided");
    public static final Outcome.Failed TOO_MANY_OPS = invalid("etcdserver: too many operations in txn request");
    public static final Outcome.Failed DUPLICATE_KEY = invalid("etcdserver: duplicate key given in txn request");
    public static final Outcome.Failed COMPACTED = new Outcome.Failed(Status.Code.OUT_OF_RANGE,
            "etcdserver: mvcc: required revision has been compacted");
    public static final Outcome.Failed FUTURE_REV = new Outcome.Failed(Status.Code.OUT_OF_RANGE,
            "etcdserver: mvcc: required revision is a future revision");
    public static final Outcome.Failed LEASE_NOT_FOUND = new Outcome.Failed(Status.Code.NOT_FOUND,
            "etcdserver: requested lease not found");
    public static final Outcome.Failed LEASE_EXISTS = new Outcome.Failed(Status.Code.FAILED_PRECONDITION,
            "etcdserver: lease already exists");
    public static final Outcome.Failed LEASE_TTL_TOO_LARGE = new Outcome.Failed(Status.Code.OUT_OF_RANGE,
            "etcdserver: too large lease TTL");

    /** What a watch create request with {@code key >= range_end} is cancelled with (mvcc/watcher.go). */
    public static final String EMPTY_WATCHER_RANGE = "mvcc: watcher range is empty";

    private EtcdErrors() {
    }

    private static Outcome.Failed invalid(String message) {
        return new Outcome.Failed(Status.Code.INVALID_ARGUMENT, message);
    }
}
