package dev.consensus.store.server;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * Fails requests that are still outstanding when the request timeout has passed. A sweep at a
 * fixed rate looks at what is outstanding (at most the requests in flight) rather than each
 * request arming a timer: {@code CompletableFuture.orTimeout} woke the JDK's delay-scheduler
 * thread twice per request, to arm the timer and to cancel it, which under a put load cost more
 * CPU than the Raft loop of a follower. A request therefore fails up to one sweep late.
 */
final class Deadlines {

    private final ConcurrentHashMap<CompletableFuture<?>, Long> outstanding = new ConcurrentHashMap<>();
    private final long timeoutNanos;
    private final LongSupplier nanoClock;

    Deadlines(long timeoutMillis, LongSupplier nanoClock) {
        this.timeoutNanos = timeoutMillis * 1_000_000L;
        this.nanoClock = nanoClock;
    }

    /** Returns {@code future}, which fails with {@link TimeoutException} unless done in time. */
    <T> CompletableFuture<T> track(CompletableFuture<T> future) {
        outstanding.put(future, nanoClock.getAsLong() + timeoutNanos);
        future.whenComplete((r, e) -> outstanding.remove(future));
        return future;
    }

    /** Fails every tracked future whose deadline has passed. */
    void sweep() {
        long now = nanoClock.getAsLong();
        outstanding.forEach((future, deadline) -> {
            if (now - deadline >= 0) {
                future.completeExceptionally(new TimeoutException());
            }
        });
    }

    int outstanding() {
        return outstanding.size();
    }
}
