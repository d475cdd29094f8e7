package dev.consensus.store.mvcc;

/** The answer to one operation of a txn, in the order of the branch that ran. */
sealed interface OpResult permits RangeResult, PutResult, DeleteResult, TxnResult, OpResult.Empty {

    /** An operation that named no request (etcd refuses these before Raft; see RequestValidator). */
    record Empty() implements OpResult { }
}
