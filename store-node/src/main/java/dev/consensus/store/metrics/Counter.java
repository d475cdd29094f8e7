package dev.consensus.store.metrics;

import java.util.Map;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * A value that only goes up, such as the number of failed proposals.
 *
 * <p>Thread-safe and lock-free: counters are bumped on the server's hot paths.
 */
public final class Counter implements Metric {

    private final String name;
    private final String help;
    private final Map<String, String> labels;
    private final DoubleAdder value = new DoubleAdder();

    Counter(String name, String help, Map<String, String> labels) {
        this.name = MetricNames.checkMetric(name);
        this.help = MetricNames.checkHelp(help);
        this.labels = MetricNames.checkLabels(labels, false);
    }

    public void inc() {
        value.add(1);
    }

    /** Adds {@code amount}; a counter never goes down, so a negative amount is refused. */
    public void add(double amount) {
        if (!(amount >= 0)) {
            throw new IllegalArgumentException("a counter only goes up; cannot add " + amount);
        }
        value.add(amount);
    }

    public double value() {
        return value.sum();
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
        return MetricType.COUNTER;
    }

    @Override
    public Map<String, String> labels() {
        return labels;
    }
}
