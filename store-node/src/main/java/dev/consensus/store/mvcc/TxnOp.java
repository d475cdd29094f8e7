package dev.consensus.store.mvcc;

/** One operation of a txn branch. */
sealed interface TxnOp {

    record Range(RangeSpec spec) implements TxnOp { }

    record Put(PutSpec spec) implements TxnOp { }

    record Delete(DeleteSpec spec) implements TxnOp { }

    record Nested(TxnSpec spec) implements TxnOp { }

    /** A RequestOp with no request set; etcd refuses it before Raft ("key not found"). */
    record Empty() implements TxnOp { }
}
