package dev.consensus.store.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * The metrics one {@code store-node} process exposes, and their rendering in Prometheus's text
 * exposition format 0.0.4.
 *
 * <p>Why our own: the format is a few lines of text per metric, and a client library would
 * bring its own registry, threads and defaults into a server whose every dependency we choose.
 * Promises: series of one name share one {@code # HELP}/{@code # TYPE} header, so they must
 * agree on help and type, and differ in their constant labels; a clash is refused at
 * registration with an {@link IllegalArgumentException}. Families are rendered sorted by name,
 * series in registration order, so a scrape is stable. Thread-safe.
 */
public final class MetricRegistry {

    private final Map<String, Family> families = new TreeMap<>();

    public Counter counter(String name, String help) {
        return counter(name, help, Map.of());
    }

    public Counter counter(String name, String help, Map<String, String> labels) {
        return register(new Counter(name, help, labels));
    }

    /** A counter read from {@code source} at scrape time (say, CPU seconds from /proc). */
    public SampledMetric counter(String name, String help, DoubleSupplier source) {
        return register(new SampledMetric(name, help, MetricType.COUNTER, Map.of(), source));
    }

    public Gauge gauge(String name, String help) {
        return gauge(name, help, Map.of());
    }

    public Gauge gauge(String name, String help, Map<String, String> labels) {
        return register(new Gauge(name, help, labels));
    }

    /** A gauge read from {@code source} at scrape time. */
    public SampledMetric gauge(String name, String help, DoubleSupplier source) {
        return gauge(name, help, Map.of(), source);
    }

    public SampledMetric gauge(String name, String help, Map<String, String> labels, DoubleSupplier source) {
        return register(new SampledMetric(name, help, MetricType.GAUGE, labels, source));
    }

    /** A gauge read from a whole-number {@code source} at scrape time. */
    public SampledMetric gauge(String name, String help, LongSupplier source) {
        return gauge(name, help, Map.of(), () -> source.getAsLong());
    }

    public Histogram histogram(String name, String help, double[] buckets) {
        return histogram(name, help, Map.of(), buckets);
    }

    public Histogram histogram(String name, String help, Map<String, String> labels, double[] buckets) {
        return register(new Histogram(name, help, labels, buckets));
    }

    /** Adds {@code metric}; refused if its name is taken by another kind, help text or equal labels. */
    public synchronized <M extends Metric> M register(M metric) {
        Family family = families.get(metric.name());
        if (family == null) {
            family = new Family(metric.name(), metric.help(), metric.type());
            families.put(metric.name(), family);
        } else if (family.type != metric.type() || !family.help.equals(metric.help())) {
            throw new IllegalArgumentException("metric " + metric.name() + " is already registered as a "
                    + family.type.word() + " with help \"" + family.help + "\"");
        }
        for (Metric existing : family.series) {
            if (existing.labels().equals(metric.labels())) {
                throw new IllegalArgumentException("metric " + metric.name() + metric.labels()
                        + " is already registered");
            }
        }
        family.series.add(metric);
        return metric;
    }

    /** Every metric, grouped by name, sorted by name. */
    public synchronized Map<String, List<Metric>> metrics() {
        Map<String, List<Metric>> copy = new LinkedHashMap<>();
        families.forEach((name, family) -> copy.put(name, List.copyOf(family.series)));
        return copy;
    }

    /** The whole registry in the text exposition format 0.0.4. */
    public String scrape() {
        StringBuilder out = new StringBuilder();
        metrics().forEach((name, series) -> TextFormat.writeFamily(out, series));
        return out.toString();
    }

    private static final class Family {
        final String name;
        final String help;
        final MetricType type;
        final List<Metric> series = new ArrayList<>();

        Family(String name, String help, MetricType type) {
            this.name = name;
            this.help = help;
            this.type = type;
        }
    }
}
