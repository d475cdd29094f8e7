package dev.consensus.store.mvcc;

import dev.consensus.api.mvccpb.Event;

/**
 * One watch of a stream, owned by the stream's dispatcher thread.
 *
 * <p>Invariant: every event with a revision below {@code nextRevision} that matches the watch has
 * been sent, exactly once, and no event at or above it has.
 */
final class Watcher {

    final long id;
    final WatchSpec spec;
    long nextRevision;
    /**
     * Was at the store's head at least once: etcd's synced group, which a compaction never
     * cancels. A watch from a past revision is not, until it has caught up.
     */
    boolean reachedHead;
    /** Events sent since the last periodic progress tick (etcd skips that tick's notification). */
    boolean sentSinceTick;

    Watcher(long id, WatchSpec spec, long startRevision) {
        this.id = id;
        this.spec = spec;
        this.nextRevision = startRevision;
    }

    boolean wants(Event event) {
        if (!spec.range().contains(event.getKv().getKey())) {
            return false;
        }
        return switch (event.getType()) {
            case PUT -> !spec.noPut();
            case DELETE -> !spec.noDelete();
            case UNRECOGNIZED -> false;
        };
    }

    /** Caught up with {@code current} and not waiting for a future start revision. */
    boolean isSynced(long current) {
        return nextRevision == current + 1;
    }
}
