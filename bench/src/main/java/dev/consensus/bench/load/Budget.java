package dev.consensus.bench.load;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How many more requests a run may start: a count, a deadline, or both (whichever runs out
 * first). Clients take a ticket before each request, so the count is exact however many run.
 */
final class Budget {

    private final AtomicLong remaining;
    private final long deadlineNanos;
    private final boolean hasDeadline;
    private volatile boolean stopped;

    private Budget(long total, Duration duration) {
        this.remaining = new AtomicLong(total > 0 ? total : Long.MAX_VALUE);
        this.hasDeadline = !duration.isZero();
        this.deadlineNanos = System.nanoTime() + duration.toNanos();
    }

    /** A budget starting now; {@code total} 0 means no count limit, a zero duration no time limit. */
    static Budget of(long total, Duration duration) {
        return new Budget(total, duration);
    }

    boolean tryTake() {
        if (stopped || (hasDeadline && System.nanoTime() - deadlineNanos >= 0)) {
            return false;
        }
        return remaining.getAndDecrement() > 0;
    }

    /** No further request starts; those in flight finish. */
    void stop() {
        stopped = true;
    }
}
