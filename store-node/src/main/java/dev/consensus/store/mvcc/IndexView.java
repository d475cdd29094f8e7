package dev.consensus.store.mvcc;

import dev.consensus.api.mvccpb.KeyValue;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Reads of the key space at one revision: the index says which stored write holds each key,
 * {@code fetch} loads it. The caller holds the state lock for as long as it uses the view. Inside
 * a write txn the revision moves to the txn's own once it has written, so later reads in the same
 * txn see its writes, as in etcd.
 */
final class IndexView {

    private final TreeIndex index;
    private final LongSupplier revision;
    private final long compactRevision;
    private final Function<Revision, KeyValue> fetch;

    IndexView(TreeIndex index, LongSupplier revision, long compactRevision, Function<Revision, KeyValue> fetch) {
        this.index = index;
        this.revision = revision;
        this.compactRevision = compactRevision;
        this.fetch = fetch;
    }

    long revision() {
        return revision.getAsLong();
    }

    long compactRevision() {
        return compactRevision;
    }

    RangeResult range(RangeSpec spec) {
        return RangeQuery.assemble(spec, RangeQuery.plan(index, spec, revision(), compactRevision),
                revisions -> revisions.stream().map(fetch).toList());
    }

    /** Every live key of {@code range} at this view's revision, in key order. */
    List<KeyValue> getAll(KeyRange range) {
        TreeIndex.Hits hits = index.range(range, revision(), 0);
        List<KeyValue> kvs = new ArrayList<>(hits.revisions().size());
        for (Revision rev : hits.revisions()) {
            kvs.add(fetch.apply(rev));
        }
        return kvs;
    }

    /** The key at this view's revision, or null. */
    KeyValue get(com.google.protobuf.ByteString key) {
        KeyIndex.Found found = index.get(key, revision());
        return found == null ? null : fetch.apply(found.modified());
    }
}
