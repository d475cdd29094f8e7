package dev.consensus.store.metrics;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Checks metric and label names against the exposition format's grammar, and copies label maps.
 *
 * <p>Why: a bad name would make Prometheus reject the whole scrape, not just one series, so it
 * is refused when the metric is created, where the mistake is made.
 */
final class MetricNames {

    private static final Pattern METRIC = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private MetricNames() {
    }

    static String checkMetric(String name) {
        if (name == null || !METRIC.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid metric name: \"" + name + "\"");
        }
        return name;
    }

    static String checkHelp(String help) {
        if (help == null || help.isBlank()) {
            throw new IllegalArgumentException("a metric needs a help text");
        }
        return help;
    }

    /** An unmodifiable copy sorted by label name (so a series renders the same on every run); names checked, values non-null. */
    static Map<String, String> checkLabels(Map<String, String> labels, boolean histogram) {
        Map<String, String> copy = new TreeMap<>();
        labels.forEach((name, value) -> {
            if (name == null || !LABEL.matcher(name).matches() || name.startsWith("__")) {
                throw new IllegalArgumentException("invalid label name: \"" + name + "\"");
            }
            if (histogram && "le".equals(name)) {
                throw new IllegalArgumentException("label \"le\" is reserved for histogram buckets");
            }
            if (value == null) {
                throw new IllegalArgumentException("label \"" + name + "\" has no value");
            }
            copy.put(name, value);
        });
        return Collections.unmodifiableMap(copy);
    }
}
