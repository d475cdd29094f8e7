package dev.consensus.bench.load;

import org.HdrHistogram.Histogram;

/**
 * The percentiles a report prints, in nanoseconds. With no values recorded every figure is 0
 * and {@link #count()} says so.
 */
public record LatencySummary(long count, double mean, long p50, long p90, long p99, long p999, long max) {

    public static final LatencySummary EMPTY = new LatencySummary(0, 0, 0, 0, 0, 0, 0);

    static LatencySummary of(Histogram histogram) {
        if (histogram.getTotalCount() == 0) {
            return EMPTY;
        }
        return new LatencySummary(
                histogram.getTotalCount(),
                histogram.getMean(),
                histogram.getValueAtPercentile(50),
                histogram.getValueAtPercentile(90),
                histogram.getValueAtPercentile(99),
                histogram.getValueAtPercentile(99.9),
                histogram.getMaxValue());
    }

    public static double millis(double nanos) {
        return nanos / 1_000_000.0;
    }
}
