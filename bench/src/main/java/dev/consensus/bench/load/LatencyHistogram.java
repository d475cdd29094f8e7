package dev.consensus.bench.load;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Latencies in nanoseconds, recorded from many threads at once (gRPC's callback threads), kept to
 * three significant digits at any magnitude: a 1 µs and a 10 s latency are both within 0.1 %.
 *
 * <p>Why HdrHistogram and not a sorted list: a long run records millions of values, and the tail
 * (p99.9, max) is what the comparison is about; a log-bucketed histogram keeps it exact enough in
 * constant memory, and recording costs a few nanoseconds without a lock.
 */
public final class LatencyHistogram {

    private static final int SIGNIFICANT_DIGITS = 3;

    private final Histogram histogram = new ConcurrentHistogram(SIGNIFICANT_DIGITS);

    /**
     * Records one latency. A negative value counts as zero: an event observed before its write's
     * acknowledgement was processed has, for this measure, no delay at all.
     */
    public void record(long nanos) {
        histogram.recordValue(Math.max(0, nanos));
    }

    public long count() {
        return histogram.getTotalCount();
    }

    public LatencySummary summary() {
        return LatencySummary.of(histogram.copy());
    }
}
