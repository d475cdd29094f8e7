package dev.consensus.store.mvcc;

import java.util.List;

/** A txn in the store's own terms (etcd's TxnRequest): compares, then one of two branches. */
record TxnSpec(List<CompareSpec> compares, List<TxnOp> success, List<TxnOp> failure) {

    /** True when neither branch writes: such a txn is a read and need not go through Raft. */
    boolean isReadOnly() {
        return success.stream().allMatch(op -> op instanceof TxnOp.Range)
                && failure.stream().allMatch(op -> op instanceof TxnOp.Range);
    }
}
