package dev.consensus.store.mvcc;

import com.google.protobuf.ByteString;
import dev.consensus.api.mvccpb.KeyValue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A range read in two steps, so the caller can hold the index lock for the first only: {@link
 * #plan} finds the revisions in the index, {@link #assemble} turns the stored values into etcd's
 * answer. The order of filtering, sorting and limiting is etcd's (server/etcdserver/apply.go), since
 * clients can tell: count ignores the min/max filters, and when nothing forces reading every match
 * only {@code limit + 1} keys are read, in key order, and then sorted.
 */
final class RangeQuery {

    /** What the index found for a range. */
    record Plan(List<Revision> revisions, long total, long currentRevision) { }

    private RangeQuery() {
    }

    static Plan plan(TreeIndex index, RangeSpec spec, long currentRevision, long compactRevision) {
        long atRev = checkedRevision(spec.revision(), currentRevision, compactRevision);
        if (spec.countOnly()) {
            return new Plan(List.of(), index.count(spec.range(), atRev), currentRevision);
        }
        long readLimit = spec.needsEveryMatch() || spec.limit() <= 0 ? 0 : spec.limit() + 1;
        TreeIndex.Hits hits = index.range(spec.range(), atRev, readLimit);
        return new Plan(hits.revisions(), hits.total(), currentRevision);
    }

    /** The revision a read at {@code requested} reads at, or etcd's error for it. */
    static long checkedRevision(long requested, long currentRevision, long compactRevision) {
        if (requested > currentRevision) {
            throw EtcdError.FUTURE_REV.exception();
        }
        long atRev = requested <= 0 ? currentRevision : requested;
        if (atRev < compactRevision) {
            throw EtcdError.COMPACTED.exception();
        }
        return atRev;
    }

    /** {@code fetchAll} loads the stored writes of the given revisions, in order. */
    static RangeResult assemble(RangeSpec spec, Plan plan, Function<List<Revision>, List<KeyValue>> fetchAll) {
        List<KeyValue> kvs = plan.revisions().isEmpty() ? new ArrayList<>()
                : new ArrayList<>(fetchAll.apply(plan.revisions()));
        prune(kvs, spec);
        sort(kvs, spec);
        boolean more = false;
        if (spec.limit() > 0 && kvs.size() > spec.limit()) {
            kvs = new ArrayList<>(kvs.subList(0, (int) spec.limit()));
            more = true;
        }
        if (spec.keysOnly()) {
            kvs.replaceAll(kv -> kv.toBuilder().setValue(ByteString.EMPTY).build());
        }
        return new RangeResult(kvs, more, plan.total(), plan.currentRevision());
    }

    private static void prune(List<KeyValue> kvs, RangeSpec spec) {
        removeIf(kvs, spec.maxModRevision() != 0, kv -> kv.getModRevision() > spec.maxModRevision());
        removeIf(kvs, spec.minModRevision() != 0, kv -> kv.getModRevision() < spec.minModRevision());
        removeIf(kvs, spec.maxCreateRevision() != 0, kv -> kv.getCreateRevision() > spec.maxCreateRevision());
        removeIf(kvs, spec.minCreateRevision() != 0, kv -> kv.getCreateRevision() < spec.minCreateRevision());
    }

    private static void removeIf(List<KeyValue> kvs, boolean active, Predicate<KeyValue> prunable) {
        if (active) {
            kvs.removeIf(prunable);
        }
    }

    /**
     * Sorts as etcd does. Go's sort is not stable, so etcd leaves the order of equal elements
     * unspecified; here they stay in key order, ascending, for both directions.
     */
    private static void sort(List<KeyValue> kvs, RangeSpec spec) {
        RangeSpec.SortOrder order = spec.sortOrder();
        if (spec.sortTarget() != RangeSpec.SortTarget.KEY && order == RangeSpec.SortOrder.NONE) {
            order = RangeSpec.SortOrder.ASCEND;
        }
        if (order != RangeSpec.SortOrder.ASCEND && order != RangeSpec.SortOrder.DESCEND) {
            return;
        }
        Comparator<KeyValue> comparator = switch (spec.sortTarget()) {
            case KEY -> Comparator.comparing(KeyValue::getKey, KeyRange.ORDER);
            case VERSION -> Comparator.comparingLong(KeyValue::getVersion);
            case CREATE -> Comparator.comparingLong(KeyValue::getCreateRevision);
            case MOD -> Comparator.comparingLong(KeyValue::getModRevision);
            case VALUE -> Comparator.comparing(KeyValue::getValue, KeyRange.ORDER);
        };
        kvs.sort(order == RangeSpec.SortOrder.DESCEND ? comparator.reversed() : comparator);
    }
}
