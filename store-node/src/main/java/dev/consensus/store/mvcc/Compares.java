package dev.consensus.store.mvcc;

import dev.consensus.api.mvccpb.KeyValue;
import java.util.List;

/**
 * Evaluates txn compares as etcd does (server/etcdserver/apply.go). A compare over a range holds
 * when it holds for every key in it. A missing key compares as version, create and mod revision
 * and lease 0, except that a compare on the value of a missing key never holds, whatever the
 * operator (etcd cannot tell a missing value from an empty one).
 */
final class Compares {

    private Compares() {
    }

    static boolean allHold(List<CompareSpec> compares, IndexView view) {
        for (CompareSpec compare : compares) {
            if (!holds(compare, view)) {
                return false;
            }
        }
        return true;
    }

    static boolean holds(CompareSpec compare, IndexView view) {
        List<KeyValue> kvs = view.getAll(compare.range());
        if (kvs.isEmpty()) {
            return compare.target() != CompareSpec.Target.VALUE && holdsFor(compare, KeyValue.getDefaultInstance());
        }
        for (KeyValue kv : kvs) {
            if (!holdsFor(compare, kv)) {
                return false;
            }
        }
        return true;
    }

    static boolean holdsFor(CompareSpec compare, KeyValue kv) {
        int order = switch (compare.target()) {
            case VERSION -> Long.compare(kv.getVersion(), compare.number());
            case CREATE -> Long.compare(kv.getCreateRevision(), compare.number());
            case MOD -> Long.compare(kv.getModRevision(), compare.number());
            case LEASE -> Long.compare(kv.getLease(), compare.number());
            case VALUE -> KeyRange.ORDER.compare(kv.getValue(), compare.value());
            case UNKNOWN -> 0;
        };
        return switch (compare.result()) {
            case EQUAL -> order == 0;
            case NOT_EQUAL -> order != 0;
            case GREATER -> order > 0;
            case LESS -> order < 0;
            case UNKNOWN -> true;
        };
    }
}
