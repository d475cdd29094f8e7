package dev.consensus.store.mvcc.model;

import dev.consensus.api.etcdserverpb.WatchResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The items one watch stream has delivered, written by the stream's thread and read by the test
 * thread. Waits are bounded and end early when the stream fails or ends.
 */
public final class ItemLog {

    private final List<WatchItem> items = new ArrayList<>();
    private String ended;

    public synchronized void add(WatchResponse response) {
        items.addAll(WatchItem.of(response));
        notifyAll();
    }

    /** The stream ended (for a reason worth printing if items are then missing). */
    public synchronized void end(String why) {
        if (ended == null) {
            ended = why;
        }
        notifyAll();
    }

    public synchronized List<WatchItem> snapshot() {
        return List.copyOf(items);
    }

    public synchronized String endedBecause() {
        return ended;
    }

    /** Returns once {@code count} items arrived, the stream ended, or {@code timeout} passed. */
    public synchronized void await(int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (items.size() < count && ended == null) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
