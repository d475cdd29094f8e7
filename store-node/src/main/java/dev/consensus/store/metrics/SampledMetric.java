package dev.consensus.store.metrics;

import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * A counter or gauge whose value is read from a supplier at scrape time, such as the database
 * size or the process's resident memory.
 *
 * <p>Why: some values are cheap to read and costly to keep current; reading them only when
 * Prometheus asks costs nothing between scrapes. A supplier that throws yields NaN for that
 * one sample, so one broken reading never breaks the whole scrape.
 */
public final class SampledMetric implements Metric {

    private final String name;
    private final String help;
    private final MetricType type;
    private final Map<String, String> labels;
    private final DoubleSupplier source;

    SampledMetric(String name, String help, MetricType type, Map<String, String> labels, DoubleSupplier source) {
        if (type == MetricType.HISTOGRAM) {
            throw new IllegalArgumentException("a histogram cannot be sampled from one value");
        }
        this.name = MetricNames.checkMetric(name);
        this.help = MetricNames.checkHelp(help);
        this.type = type;
        this.labels = MetricNames.checkLabels(labels, false);
        this.source = java.util.Objects.requireNonNull(source, "source");
    }

    /** The current reading, or NaN when the supplier fails. */
    public double value() {
        try {
            return source.getAsDouble();
        } catch (RuntimeException e) {
            return Double.NaN;
        }
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
        return type;
    }

    @Override
    public Map<String, String> labels() {
        return labels;
    }
}
