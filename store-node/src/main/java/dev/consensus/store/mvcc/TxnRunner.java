package dev.consensus.store.mvcc;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs a txn the way etcd does: first every compare of the txn and of the nested txns on the
 * chosen branches is evaluated against the store as it was before the txn (the "path"), then the
 * requests on that path are checked (puts before ranges), and only then are the operations run,
 * in order, at one revision.
 */
final class TxnRunner {

    /** Which branch each txn on the chosen path took; {@code nested} follows the branch's nested txns. */
    record Path(boolean succeeded, List<Path> nested) { }

    private TxnRunner() {
    }

    static Path path(TxnSpec txn, IndexView view) {
        boolean succeeded = Compares.allHold(txn.compares(), view);
        List<Path> nested = new ArrayList<>();
        for (TxnOp op : succeeded ? txn.success() : txn.failure()) {
            if (op instanceof TxnOp.Nested n) {
                nested.add(path(n.spec(), view));
            }
        }
        return new Path(succeeded, nested);
    }

    /**
     * etcd's apply-time checks, before anything is written: puts whose ignore flags need a key
     * that does not exist, puts naming a lease that does not exist, then ranges at a future or
     * compacted revision.
     */
    static void check(TxnSpec txn, Path path, IndexView view, Lessor lessor) {
        if (!txn.isReadOnly()) {
            visit(txn, path, op -> {
                if (op instanceof TxnOp.Put put) {
                    checkPut(put.spec(), view, lessor);
                }
            });
        }
        visit(txn, path, op -> {
            if (op instanceof TxnOp.Range range) {
                checkRange(range.spec(), view);
            }
        });
    }

    /**
     * Runs the operations on the path. {@code writer} is null for a read-only txn. Nested txns
     * report revision 0, as etcd leaves their header empty.
     */
    static TxnResult run(TxnSpec txn, Path path, IndexView view, WriteTxn writer) {
        return run(txn, path, view, writer, true);
    }

    private static TxnResult run(TxnSpec txn, Path path, IndexView view, WriteTxn writer, boolean outermost) {
        List<OpResult> results = new ArrayList<>();
        Iterator<Path> nested = path.nested().iterator();
        for (TxnOp op : path.succeeded() ? txn.success() : txn.failure()) {
            results.add(switch (op) {
                case TxnOp.Range range -> view.range(range.spec());
                case TxnOp.Put put -> writer.put(put.spec());
                case TxnOp.Delete delete -> writer.deleteRange(delete.spec());
                case TxnOp.Nested inner -> run(inner.spec(), nested.next(), view, writer, false);
                case TxnOp.Empty empty -> new OpResult.Empty();
            });
        }
        return new TxnResult(outermost ? view.revision() : 0, path.succeeded(), results);
    }

    private static void checkPut(PutSpec put, IndexView view, Lessor lessor) {
        if ((put.ignoreValue() || put.ignoreLease()) && view.get(put.key()) == null) {
            throw EtcdError.KEY_NOT_FOUND.exception();
        }
        if (put.lease() != 0 && !lessor.exists(put.lease())) {
            throw EtcdError.LEASE_NOT_FOUND.exception();
        }
    }

    /** A txn range's revision is checked against the store before the txn; note a negative one
     *  below the compact revision counts as compacted here, unlike in a plain range (etcd). */
    private static void checkRange(RangeSpec range, IndexView view) {
        long revision = range.revision();
        if (revision == 0) {
            return;
        }
        if (revision > view.revision()) {
            throw EtcdError.FUTURE_REV.exception();
        }
        if (revision < view.compactRevision()) {
            throw EtcdError.COMPACTED.exception();
        }
    }

    private static void visit(TxnSpec txn, Path path, Consumer<TxnOp> check) {
        Iterator<Path> nested = path.nested().iterator();
        for (TxnOp op : path.succeeded() ? txn.success() : txn.failure()) {
            if (op instanceof TxnOp.Nested inner) {
                visit(inner.spec(), nested.next(), check);
            } else {
                check.accept(op);
            }
        }
    }
}
