package dev.consensus.store.metrics;

/** The kinds the text exposition format 0.0.4 names on a {@code # TYPE} line. */
public enum MetricType {
    COUNTER("counter"),
    GAUGE("gauge"),
    HISTOGRAM("histogram");

    private final String word;

    MetricType(String word) {
        this.word = word;
    }

    /** The word written after the metric name on the {@code # TYPE} line. */
    public String word() {
        return word;
    }
}
