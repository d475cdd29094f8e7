package dev.consensus.store.metrics;

import java.util.List;
import java.util.Map;

/**
 * Writes metrics in Prometheus's text exposition format, version 0.0.4: a {@code # HELP} and a
 * {@code # TYPE} line per family, then one {@code name{labels} value} line per sample; for a
 * histogram, cumulative {@code _bucket} lines with an {@code le} label ending at {@code +Inf},
 * then {@code _sum} and {@code _count}.
 */
public final class TextFormat {

    /** The Content-Type of a scrape in this format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private TextFormat() {
    }

    /** Writes one family: the header from the first series, then every series' samples. */
    static void writeFamily(StringBuilder out, List<Metric> series) {
        Metric first = series.get(0);
        out.append("# HELP ").append(first.name()).append(' ').append(escapeHelp(first.help())).append('\n');
        out.append("# TYPE ").append(first.name()).append(' ').append(first.type().word()).append('\n');
        for (Metric metric : series) {
            switch (metric) {
                case Counter c -> sample(out, c.name(), c.labels(), null, c.value());
                case Gauge g -> sample(out, g.name(), g.labels(), null, g.value());
                case SampledMetric s -> sample(out, s.name(), s.labels(), null, s.value());
                case Histogram h -> writeHistogram(out, h);
            }
        }
    }

    private static void writeHistogram(StringBuilder out, Histogram h) {
        Histogram.Snapshot s = h.snapshot();
        for (int i = 0; i < s.bounds().length; i++) {
            sample(out, h.name() + "_bucket", h.labels(), formatNumber(s.bounds()[i]), s.cumulativeCounts()[i]);
        }
        sample(out, h.name() + "_bucket", h.labels(), "+Inf", s.cumulativeCounts()[s.bounds().length]);
        sample(out, h.name() + "_sum", h.labels(), null, s.sum());
        sample(out, h.name() + "_count", h.labels(), null, s.count());
    }

    private static void sample(StringBuilder out, String name, Map<String, String> labels, String le, double value) {
        out.append(name);
        if (!labels.isEmpty() || le != null) {
            out.append('{');
            String separator = "";
            for (Map.Entry<String, String> label : labels.entrySet()) {
                out.append(separator).append(label.getKey()).append("=\"")
                        .append(escapeLabelValue(label.getValue())).append('"');
                separator = ",";
            }
            if (le != null) {
                out.append(separator).append("le=\"").append(le).append('"');
            }
            out.append('}');
        }
        out.append(' ').append(formatNumber(value)).append('\n');
    }

    /**
     * A sample value as the format spells it: {@code NaN}, {@code +Inf}, {@code -Inf}, whole
     * numbers without a fraction (as etcd's Go client writes them), else Java's shortest
     * round-tripping form, which Go's ParseFloat (Prometheus's parser) reads back exactly.
     */
    public static String formatNumber(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }

    /** HELP text escapes backslash and newline. */
    static String escapeHelp(String help) {
        return help.replace("\\", "\\\\").replace("\n", "\\n");
    }

    /** Label values also escape the double quote. */
    static String escapeLabelValue(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
