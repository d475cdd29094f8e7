package dev.consensus.store.mvcc;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The checks etcd makes on a request before proposing it (server/etcdserver/api/v3rpc/key.go),
 * in etcd's order, so a request with several faults gets etcd's error. {@link RequestValidator}
 * runs them before Raft; the store runs them again at apply (without the op-count limit, which
 * is configuration and could differ between members) so a request that skipped validation is
 * still refused the same way on every replica.
 */
final class RequestChecks {

    /** No limit on operations: for the apply-time run. */
    static final int UNLIMITED_OPS = Integer.MAX_VALUE;

    private RequestChecks() {
    }

    static void range(RangeSpec spec) {
        requireKey(spec.range().key());
    }

    static void put(PutSpec spec) {
        requireKey(spec.key());
        if (spec.ignoreValue() && !spec.value().isEmpty()) {
            throw EtcdError.VALUE_PROVIDED.exception();
        }
        if (spec.ignoreLease() && spec.lease() != 0) {
            throw EtcdError.LEASE_PROVIDED.exception();
        }
    }

    static void delete(DeleteSpec spec) {
        requireKey(spec.range().key());
    }

    static void txn(TxnSpec spec, int maxOps) {
        checkShape(spec, maxOps);
        writes(spec.success());
        writes(spec.failure());
    }

    private static void checkShape(TxnSpec spec, int maxOps) {
        int ops = Math.max(spec.compares().size(), Math.max(spec.success().size(), spec.failure().size()));
        if (ops > maxOps) {
            throw EtcdError.TOO_MANY_OPS.exception();
        }
        for (CompareSpec compare : spec.compares()) {
            requireKey(compare.range().key());
        }
        for (TxnOp op : spec.success()) {
            op(op, maxOps - ops);
        }
        for (TxnOp op : spec.failure()) {
            op(op, maxOps - ops);
        }
    }

    private static void op(TxnOp op, int maxOps) {
        switch (op) {
            case TxnOp.Range range -> range(range.spec());
            case TxnOp.Put put -> put(put.spec());
            case TxnOp.Delete delete -> delete(delete.spec());
            case TxnOp.Nested nested -> checkShape(nested.spec(), maxOps);
            case TxnOp.Empty empty -> throw EtcdError.KEY_NOT_FOUND.exception();
        }
    }

    /** The keys a branch puts and the ranges it deletes, its nested txns included. */
    private record Writes(Set<ByteString> puts, List<KeyRange> deletes) { }

    /**
     * Refuses a branch that writes a key twice: two puts, or a put inside a range the branch
     * deletes, at this level or in nested txns; the two branches of one nested txn may put the
     * same key, as only one runs. Like etcd, a delete with range end "\0" (every key from
     * {@code key} on) is not seen as covering any put (etcd's interval tree reads it as empty);
     * if such a txn then needs a key it deleted, the store refuses it whole at apply.
     */
    private static Writes writes(List<TxnOp> ops) {
        List<KeyRange> deletes = new ArrayList<>();
        for (TxnOp op : ops) {
            if (op instanceof TxnOp.Delete delete) {
                deletes.add(delete.spec().range());
            }
        }
        Set<ByteString> puts = new HashSet<>();
        for (TxnOp op : ops) {
            if (op instanceof TxnOp.Nested nested) {
                Writes then = writes(nested.spec().success());
                Writes otherwise = writes(nested.spec().failure());
                for (ByteString key : then.puts()) {
                    refuseIf(puts.contains(key) || covered(deletes, key));
                    puts.add(key);
                }
                for (ByteString key : otherwise.puts()) {
                    refuseIf(puts.contains(key) && !then.puts().contains(key));
                    refuseIf(covered(deletes, key));
                    puts.add(key);
                }
                deletes.addAll(then.deletes());
                deletes.addAll(otherwise.deletes());
            }
        }
        for (TxnOp op : ops) {
            if (op instanceof TxnOp.Put put) {
                ByteString key = put.spec().key();
                refuseIf(puts.contains(key) || covered(deletes, key));
                puts.add(key);
            }
        }
        return new Writes(puts, deletes);
    }

    private static boolean covered(List<KeyRange> deletes, ByteString key) {
        for (KeyRange range : deletes) {
            if (range.kind() != KeyRange.Kind.FROM_KEY && range.contains(key)) {
                return true;
            }
        }
        return false;
    }

    private static void refuseIf(boolean duplicate) {
        if (duplicate) {
            throw EtcdError.DUPLICATE_KEY.exception();
        }
    }

    private static void requireKey(ByteString key) {
        if (key.isEmpty()) {
            throw EtcdError.EMPTY_KEY.exception();
        }
    }
}
