package dev.consensus.store.metrics;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A value that is set, or moved up and down, by the code that knows it (whether this member
 * leads, how many proposals are pending). For a value better read when scraped, see
 * {@link MetricRegistry#gauge(String, String, java.util.function.DoubleSupplier)}.
 */
public final class Gauge implements Metric {

    private final String name;
    private final String help;
    private final Map<String, String> labels;
    // The double's bits, so set() is a single atomic write and inc/dec a CAS loop.
    private final AtomicLong bits = new AtomicLong(Double.doubleToLongBits(0));

    Gauge(String name, String help, Map<String, String> labels) {
        this.name = MetricNames.checkMetric(name);
        this.help = MetricNames.checkHelp(help);
        this.labels = MetricNames.checkLabels(labels, false);
    }

    public void set(double value) {
        bits.set(Double.doubleToLongBits(value));
    }

    /** Sets 1 for true and 0 for false, as etcd's yes/no gauges do. */
    public void set(boolean value) {
        set(value ? 1 : 0);
    }

    public void inc() {
        add(1);
    }

    public void dec() {
        add(-1);
    }

    public void add(double delta) {
        bits.updateAndGet(b -> Double.doubleToLongBits(Double.longBitsToDouble(b) + delta));
    }

    public double value() {
        return Double.longBitsToDouble(bits.get());
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
        return MetricType.GAUGE;
    }

    @Override
    public Map<String, String> labels() {
        return labels;
    }
}
