package dev.consensus.store.mvcc.model;

import com.google.protobuf.ByteString;
import dev.consensus.api.etcdserverpb.RangeRequest;
import dev.consensus.api.etcdserverpb.RangeResponse;
import dev.consensus.api.etcdserverpb.ResponseHeader;
import dev.consensus.api.mvccpb.KeyValue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A range read as etcd answers it (server/etcdserver/apply.go, Range): read the matches (all of
 * them, or only the first limit + 1 by key when no sort order and no filter is asked for), count
 * every match, drop the min/max revision filters' misses, sort, cut at the limit, blank values
 * for keys_only. Brute force on purpose.
 *
 * <p>Equal sort keys keep key order in both directions: etcd sorts with Go's sort.Sort, which
 * for 12 elements or fewer (Go 1.19 on, Debian's etcd is built with 1.19.8) is an insertion sort
 * and so stable, also under sort.Reverse. The generator's key space stays within 12 keys.
 */
final class ModelRange {

    private ModelRange() {
    }

    /** The answer to {@code request} read at {@code atRevision}; the header says {@code current}. */
    static RangeResponse read(ModelHistory history, RangeRequest request, long atRevision, long current) {
        List<KeyValue> kvs = history.range(new KeySpan(request.getKey(), request.getRangeEnd()), atRevision);
        long count = kvs.size();
        if (request.getCountOnly()) {
            kvs = List.of();
        } else if (readsOnlyLimitPlusOne(request) && kvs.size() > request.getLimit() + 1) {
            // etcd reads limit + 1 keys in key order unless it must sort or filter; a sort target
            // without a sort order still sorts, but only those.
            kvs = kvs.subList(0, (int) request.getLimit() + 1);
        }
        kvs = filter(kvs, request);
        kvs = sort(kvs, request);
        boolean more = false;
        if (request.getLimit() > 0 && kvs.size() > request.getLimit()) {
            kvs = kvs.subList(0, (int) request.getLimit());
            more = true;
        }
        RangeResponse.Builder response = RangeResponse.newBuilder()
                .setHeader(ResponseHeader.newBuilder().setRevision(current))
                .setMore(more)
                .setCount(count);
        for (KeyValue kv : kvs) {
            response.addKvs(request.getKeysOnly() ? kv.toBuilder().setValue(ByteString.EMPTY).build() : kv);
        }
        return response.build();
    }

    private static boolean readsOnlyLimitPlusOne(RangeRequest r) {
        return r.getLimit() > 0 && r.getSortOrderValue() == RangeRequest.SortOrder.NONE_VALUE
                && r.getMinModRevision() == 0 && r.getMaxModRevision() == 0
                && r.getMinCreateRevision() == 0 && r.getMaxCreateRevision() == 0;
    }

    private static List<KeyValue> filter(List<KeyValue> kvs, RangeRequest r) {
        List<KeyValue> kept = new ArrayList<>();
        for (KeyValue kv : kvs) {
            boolean drop = (r.getMaxModRevision() != 0 && kv.getModRevision() > r.getMaxModRevision())
                    || (r.getMinModRevision() != 0 && kv.getModRevision() < r.getMinModRevision())
                    || (r.getMaxCreateRevision() != 0 && kv.getCreateRevision() > r.getMaxCreateRevision())
                    || (r.getMinCreateRevision() != 0 && kv.getCreateRevision() < r.getMinCreateRevision());
            if (!drop) {
                kept.add(kv);
            }
        }
        return kept;
    }

    private static List<KeyValue> sort(List<KeyValue> kvs, RangeRequest r) {
        int order = r.getSortOrderValue();
        if (r.getSortTargetValue() != RangeRequest.SortTarget.KEY_VALUE && order == RangeRequest.SortOrder.NONE_VALUE) {
            order = RangeRequest.SortOrder.ASCEND_VALUE;
        }
        if (order != RangeRequest.SortOrder.ASCEND_VALUE && order != RangeRequest.SortOrder.DESCEND_VALUE) {
            // NONE keeps key order; etcd also leaves an order it does not know unsorted.
            return kvs;
        }
        Comparator<KeyValue> by = switch (r.getSortTarget()) {
            case KEY -> Comparator.comparing(KeyValue::getKey, KeySpan.ORDER);
            case VERSION -> Comparator.comparingLong(KeyValue::getVersion);
            case CREATE -> Comparator.comparingLong(KeyValue::getCreateRevision);
            case MOD -> Comparator.comparingLong(KeyValue::getModRevision);
            case VALUE -> Comparator.comparing(KeyValue::getValue, KeySpan.ORDER);
            case UNRECOGNIZED -> throw new IllegalArgumentException(
                    "etcd panics on a sort target it does not know; the generator must not send one");
        };
        List<KeyValue> sorted = new ArrayList<>(kvs);
        sorted.sort(order == RangeRequest.SortOrder.DESCEND_VALUE ? by.reversed() : by);
        return sorted;
    }
}
