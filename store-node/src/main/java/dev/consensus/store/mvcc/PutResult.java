package dev.consensus.store.mvcc;

import dev.consensus.api.mvccpb.KeyValue;

/**
 * The answer to a {@link PutSpec}.
 *
 * @param revision the revision of the put
 * @param prevKv   the key as it was before, when asked for and it existed; else null
 */
record PutResult(long revision, KeyValue prevKv) implements OpResult {
}
