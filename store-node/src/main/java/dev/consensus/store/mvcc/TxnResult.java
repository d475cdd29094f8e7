package dev.consensus.store.mvcc;

import java.util.List;

/**
 * The answer to a {@link TxnSpec}.
 *
 * @param revision  the revision after the txn (of its writes, or the current one if it wrote
 *                  nothing); etcd reports it on the outermost txn only
 * @param succeeded whether the compares held, so the success branch ran
 * @param responses one result per operation of the branch that ran
 */
record TxnResult(long revision, boolean succeeded, List<OpResult> responses) implements OpResult {
}
