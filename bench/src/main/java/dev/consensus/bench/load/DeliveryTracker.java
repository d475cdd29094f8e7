package dev.consensus.bench.load;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Matches each acknowledged put (by its revision) with the watch events for it, and records
 * the delay from the acknowledgement to each event.
 *
 * <p>The acknowledgement and the events arrive on different threads in either order: an event
 * can be handled before the writer has processed the put's response. Such an event counts as
 * delivered with no delay (and is counted apart), since it was delivered no later than the write
 * was acknowledged. A revision's entry is dropped once the acknowledgement and every watcher's
 * event have been seen, so memory follows the events in flight, not the run's length.
 */
final class DeliveryTracker {

    private static final long UNKNOWN = Long.MIN_VALUE;
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final int watchers;
    private final long floorRevision;
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final LatencyHistogram latency = new LatencyHistogram();
    private final LongAdder acknowledged = new LongAdder();
    private final LongAdder delivered = new LongAdder();
    private final LongAdder beforeAck = new LongAdder();

    /**
     * What has been seen of one revision. Written only inside compute(), which serialises
     * writers per key; volatile so that {@link #undelivered()} can read it from outside.
     */
    private static final class Pending {
        volatile long ackNanos = UNKNOWN;
        volatile int parties;
    }

    /**
     * @param watchers how many watchers each revision's event must reach
     * @param floorRevision revisions at or below it belong to an earlier phase and are ignored
     */
    DeliveryTracker(int watchers, long floorRevision) {
        this.watchers = watchers;
        this.floorRevision = floorRevision;
    }

    void acknowledged(long revision, long nanos) {
        if (revision <= floorRevision) {
            return;
        }
        acknowledged.increment();
        pending.compute(revision, (rev, seen) -> {
            Pending entry = seen != null ? seen : new Pending();
            entry.ackNanos = nanos;
            return arrive(entry);
        });
    }

    void delivered(long revision, long nanos) {
        if (revision <= floorRevision) {
            return;
        }
        delivered.increment();
        pending.compute(revision, (rev, seen) -> {
            Pending entry = seen != null ? seen : new Pending();
            if (entry.ackNanos == UNKNOWN) {
                beforeAck.increment();
                latency.record(0);
            } else {
                latency.record(nanos - entry.ackNanos);
            }
            return arrive(entry);
        });
    }

    private Pending arrive(Pending entry) {
        entry.parties++;
        return entry.parties == watchers + 1 ? null : entry;
    }

    /** Waits, at most {@code limit}, until every acknowledged put's events have all arrived. */
    boolean awaitDelivered(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (undelivered() > 0) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
        return true;
    }

    /** Events still missing for acknowledged puts. */
    long undelivered() {
        long missing = 0;
        for (Pending entry : pending.values()) {
            if (entry.ackNanos != UNKNOWN) {
                missing += watchers + 1 - entry.parties;
            }
        }
        return missing;
    }

    LatencySummary latency() {
        return latency.summary();
    }

    long acknowledgedCount() {
        return acknowledged.sum();
    }

    long deliveredCount() {
        return delivered.sum();
    }

    long deliveredBeforeAck() {
        return beforeAck.sum();
    }
}
