package dev.consensus.store.metrics;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs the server's {@link HealthCheck} with a deadline, at most one call per kind of read at
 * a time.
 *
 * <p>Why: a probe must answer even when the member is stuck (a hung disk, a lost quorum), since
 * that is exactly when it is asked. The check runs on its own thread; the request waits at most
 * the timeout and then reports {@link HealthStatus#TIMED_OUT}. Requests arriving while a check
 * is still running join it instead of starting another, so a hung member costs at most two
 * blocked threads (one per kind of read), however often it is probed.
 */
final class BoundedHealthCheck implements AutoCloseable {

    private final HealthCheck check;
    private final Duration timeout;
    private final ExecutorService executor = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("health-check-", 0).factory());
    private final AtomicReference<CompletableFuture<HealthStatus>> serializable = new AtomicReference<>();
    private final AtomicReference<CompletableFuture<HealthStatus>> linearizable = new AtomicReference<>();

    BoundedHealthCheck(HealthCheck check, Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the health check timeout must be positive: " + timeout);
        }
        this.check = check;
        this.timeout = timeout;
    }

    Duration timeout() {
        return timeout;
    }

    /** Starts a check of this kind, or joins the one already running. */
    CompletableFuture<HealthStatus> start(boolean serializableRead) {
        AtomicReference<CompletableFuture<HealthStatus>> slot = serializableRead ? serializable : linearizable;
        while (true) {
            CompletableFuture<HealthStatus> running = slot.get();
            if (running != null && !running.isDone()) {
                return running;
            }
            CompletableFuture<HealthStatus> fresh = new CompletableFuture<>();
            if (slot.compareAndSet(running, fresh)) {
                try {
                    executor.execute(() -> {
                        try {
                            fresh.complete(check.check(serializableRead));
                        } catch (Throwable t) {
                            fresh.completeExceptionally(t);
                        }
                    });
                } catch (RuntimeException rejected) {
                    fresh.completeExceptionally(rejected); // closed: answer at once, unhealthy
                }
                return fresh;
            }
        }
    }

    /** The check's answer, or an unanswered status if it fails or is not done by {@code deadlineNanos}. */
    static HealthStatus await(CompletableFuture<HealthStatus> pending, long deadlineNanos) {
        try {
            long left = Math.max(0, deadlineNanos - System.nanoTime());
            HealthStatus status = pending.get(left, TimeUnit.NANOSECONDS);
            return status != null ? status : HealthStatus.unanswered("health check returned nothing");
        } catch (TimeoutException e) {
            return HealthStatus.unanswered(HealthStatus.TIMED_OUT);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String message = cause.getMessage() != null ? cause.getMessage() : cause.toString();
            return HealthStatus.unanswered(message);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return HealthStatus.unanswered(HealthStatus.TIMED_OUT);
        }
    }

    /** Stops waiting for checks still running; their threads are interrupted. */
    @Override
    public void close() {
        executor.shutdownNow();
    }
}
