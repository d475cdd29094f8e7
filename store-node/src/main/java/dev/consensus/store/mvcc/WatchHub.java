package dev.consensus.store.mvcc;

import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** The open watch streams of a store, woken together when the store has a new revision. */
final class WatchHub {

    private final Set<WatchDispatcher> streams = new CopyOnWriteArraySet<>();

    void add(WatchDispatcher stream) {
        streams.add(stream);
    }

    void remove(WatchDispatcher stream) {
        streams.remove(stream);
    }

    void wakeAll() {
        for (WatchDispatcher stream : streams) {
            stream.wake();
        }
    }

    /**
     * Waits, at most {@code maxMillis}, until no stream has a caught-up watcher that still needs
     * history at or below {@code revision}. Called by the apply thread before a compaction, so no
     * revision is added meanwhile; a stream whose listener is stuck longer keeps its lagging
     * watchers, and the compaction cancels them.
     */
    void awaitCaughtUp(long revision, long maxMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMillis);
        for (WatchDispatcher stream : streams) {
            while (!stream.caughtUpPast(revision) && System.nanoTime() < deadline) {
                stream.wake();
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
            }
        }
    }

    void progressTickAll() {
        for (WatchDispatcher stream : streams) {
            stream.progressTick();
        }
    }

    void closeAll() {
        for (WatchDispatcher stream : streams) {
            stream.close();
        }
    }
}
