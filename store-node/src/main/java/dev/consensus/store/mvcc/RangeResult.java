package dev.consensus.store.mvcc;

import dev.consensus.api.mvccpb.KeyValue;
import java.util.List;

/**
 * The answer to a {@link RangeSpec}.
 *
 * @param kvs      the keys read, after filters, sort and limit
 * @param more     whether more keys matched than {@code limit} let through
 * @param count    how many keys matched in the index, before the min/max revision filters (etcd)
 * @param revision the store's revision when read (not the revision read at)
 */
record RangeResult(List<KeyValue> kvs, boolean more, long count, long revision) implements OpResult {
}
