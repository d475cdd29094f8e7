package dev.consensus.store.mvcc;

import dev.consensus.api.mvccpb.KeyValue;
import java.util.List;

/**
 * The answer to a {@link DeleteSpec}.
 *
 * @param revision the revision of the delete, or the unchanged current one if nothing matched
 * @param deleted  how many keys were deleted
 * @param prevKvs  the deleted keys as they were, when asked for
 */
record DeleteResult(long revision, long deleted, List<KeyValue> prevKvs) implements OpResult {
}
