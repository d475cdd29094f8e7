package dev.consensus.store.metrics;

import java.util.Map;

/**
 * One time series (or, for a histogram, one group of series) that a {@link MetricRegistry}
 * renders on every scrape.
 *
 * <p>Why sealed: the text format differs per kind (a histogram writes buckets, a sum and a
 * count), so the renderer switches over a closed set instead of asking each metric to print
 * itself in a format it need not know.
 */
public sealed interface Metric permits Counter, Gauge, Histogram, SampledMetric {

    /** The metric family name, e.g. {@code etcd_server_has_leader}. */
    String name();

    /** One line saying what the metric measures. */
    String help();

    MetricType type();

    /** Constant labels of this series, sorted by name as they are rendered; empty for none. */
    Map<String, String> labels();
}
