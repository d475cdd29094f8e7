package dev.consensus.bench.load;

import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Keeps {@code clients} requests in flight until the budget runs out: each client issues its
 * next request from the callback of the previous one (a closed loop, like etcd's benchmark
 * tool), so the offered load adapts to the server and latency is not inflated by a queue on the
 * client side.
 *
 * <p>Bounded: every request carries a deadline, so every client finishes; if none has finished a
 * request for longer than {@code stallLimit} anyway (a lost callback), the run stops, and each
 * client still out is counted as a {@code STALLED} error.
 */
final class ClosedLoopDriver {

    /** What a run measured. */
    record Measurement(long ops, Duration elapsed, LatencySummary latency, ErrorTally errors) {
    }

    private static final long POLL_MILLIS = 50;

    private final Connections connections;
    private final int clients;
    private final Operation operation;
    private final Duration stallLimit;

    ClosedLoopDriver(Connections connections, int clients, Operation operation, Duration stallLimit) {
        this.connections = connections;
        this.clients = clients;
        this.operation = operation;
        this.stallLimit = stallLimit;
    }

    Measurement run(long total, Duration duration) {
        LatencyHistogram latency = new LatencyHistogram();
        ErrorTally errors = new ErrorTally();
        LongAdder ops = new LongAdder();
        CountDownLatch finished = new CountDownLatch(clients);
        AtomicLong lastProgress = new AtomicLong(System.nanoTime());
        AtomicLong lastFinish = new AtomicLong();
        long start = System.nanoTime();
        Budget budget = Budget.of(total, duration);
        Run run = new Run(budget, latency, errors, ops, finished, lastProgress, lastFinish);
        for (int i = 0; i < clients; i++) {
            run.next(connections.channel(i));
        }
        awaitClients(run, budget, errors);
        long end = finished.getCount() == 0 ? lastFinish.get() : System.nanoTime();
        return new Measurement(ops.sum(), Duration.ofNanos(Math.max(0, end - start)), latency.summary(), errors);
    }

    private void awaitClients(Run run, Budget budget, ErrorTally errors) {
        try {
            while (!run.finished.await(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                if (System.nanoTime() - run.lastProgress.get() > stallLimit.toNanos()) {
                    budget.stop();
                    errors.add("STALLED", run.finished.getCount(),
                            "no request finished for " + Durations.format(stallLimit));
                    return;
                }
            }
        } catch (InterruptedException e) {
            budget.stop();
            Thread.currentThread().interrupt();
        }
    }

    /** The shared state of one run, and each client's loop. */
    private final class Run {
        private final Budget budget;
        private final LatencyHistogram latency;
        private final ErrorTally errors;
        private final LongAdder ops;
        private final CountDownLatch finished;
        private final AtomicLong lastProgress;
        private final AtomicLong lastFinish;

        Run(Budget budget, LatencyHistogram latency, ErrorTally errors, LongAdder ops, CountDownLatch finished,
                AtomicLong lastProgress, AtomicLong lastFinish) {
            this.budget = budget;
            this.latency = latency;
            this.errors = errors;
            this.ops = ops;
            this.finished = finished;
            this.lastProgress = lastProgress;
            this.lastFinish = lastFinish;
        }

        void next(ManagedChannel channel) {
            if (!budget.tryTake()) {
                lastFinish.accumulateAndGet(System.nanoTime(), Math::max);
                finished.countDown();
                return;
            }
            long sent = System.nanoTime();
            Operation.Completion completion = new Operation.Completion() {
                @Override
                public void succeeded() {
                    long now = System.nanoTime();
                    latency.record(now - sent);
                    ops.increment();
                    lastProgress.set(now);
                    next(channel);
                }

                @Override
                public void failed(Throwable error) {
                    errors.record(error);
                    lastProgress.set(System.nanoTime());
                    next(channel);
                }
            };
            try {
                operation.issue(channel, completion);
            } catch (RuntimeException e) {
                // A request that could not even be sent (gRPC reports other failures through the
                // callback): this client stops, because retrying here would recurse on this stack.
                errors.record(e);
                lastFinish.accumulateAndGet(System.nanoTime(), Math::max);
                finished.countDown();
            }
        }
    }
}
