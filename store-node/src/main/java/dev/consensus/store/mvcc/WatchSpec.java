package dev.consensus.store.mvcc;

/**
 * A watch create request in the store's own terms (etcd's WatchCreateRequest, after the server's
 * conversions: an empty key is already {@code "\0"}).
 *
 * @param watchId        the id the client asked for, or 0 to let the stream pick the next free one
 * @param startRevision  the first revision to report; 0 means the next one
 */
record WatchSpec(KeyRange range, long startRevision, long watchId, boolean prevKv, boolean noPut,
        boolean noDelete, boolean progressNotify) {
}
