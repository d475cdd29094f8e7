package dev.consensus.store.metrics;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

/**
 * Counts observations into fixed buckets, with their sum and count, as Prometheus histograms
 * do: a bucket counts every observation less than or equal to its bound.
 *
 * <p>Why a lock: a scrape must see the buckets, the sum and the count of the same moment
 * (Prometheus expects the {@code +Inf} bucket to equal the count). Observations are disk
 * latencies, a few thousand a second at most, so an uncontended lock costs nothing that
 * matters.
 */
public final class Histogram implements Metric {

    private final String name;
    private final String help;
    private final Map<String, String> labels;
    private final double[] bounds;
    private final long[] counts; // per bucket, not cumulative; the last one is +Inf
    private double sum;
    private long count;

    Histogram(String name, String help, Map<String, String> labels, double[] bounds) {
        this.name = MetricNames.checkMetric(name);
        this.help = MetricNames.checkHelp(help);
        this.labels = MetricNames.checkLabels(labels, true);
        this.bounds = Buckets.check(bounds);
        this.counts = new long[this.bounds.length + 1];
    }

    /** Records one observation; NaN is ignored, as it belongs in no bucket. */
    public void observe(double value) {
        if (Double.isNaN(value)) {
            return;
        }
        int bucket = Arrays.binarySearch(bounds, value);
        // Not found: binarySearch returns -(insertion point) - 1; the insertion point is the
        // first bound greater than the value, which is the bucket it falls in.
        int index = bucket >= 0 ? bucket : -bucket - 1;
        synchronized (this) {
            counts[index]++;
            sum += value;
            count++;
        }
    }

    /** Records a duration in seconds, the unit of every etcd latency histogram. */
    public void observe(Duration duration) {
        observe(duration.toNanos() / 1e9);
    }

    /** The buckets, sum and count as of one moment. */
    public synchronized Snapshot snapshot() {
        long[] cumulative = new long[counts.length];
        long running = 0;
        for (int i = 0; i < counts.length; i++) {
            running += counts[i];
            cumulative[i] = running;
        }
        return new Snapshot(bounds.clone(), cumulative, sum, count);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String help() {
        return help;
    }

    @Override
    public MetricType type() {
        return MetricType.HISTOGRAM;
    }

    @Override
    public Map<String, String> labels() {
        return labels;
    }

    /**
     * A histogram's state at one moment.
     *
     * @param bounds the finite upper bounds
     * @param cumulativeCounts observations at or below each bound, then the total ({@code +Inf})
     * @param sum the sum of all observations
     * @param count the number of observations; equals the last cumulative count
     */
    public record Snapshot(double[] bounds, long[] cumulativeCounts, double sum, long count) {
    }
}
