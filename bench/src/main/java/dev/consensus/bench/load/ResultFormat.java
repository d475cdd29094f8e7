package dev.consensus.bench.load;

import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** A result as text for people and as one JSON object for scripts. */
public final class ResultFormat {

    private ResultFormat() {
    }

    public static String text(LoadResult result) {
        LoadSpec spec = result.spec();
        LatencySummary latency = result.latency();
        StringBuilder out = new StringBuilder();
        line(out, "workload", describe(spec));
        line(out, "endpoints", spec.endpoints().stream().map(Endpoint::toString).collect(Collectors.joining(",")));
        line(out, "clients", spec.clients() + " in flight over " + spec.conns() + " connection(s)");
        line(out, "requests", String.format(Locale.ROOT, "%d in %.3f s = %.1f ops/s", result.ops(),
                result.elapsed().toNanos() / 1e9, result.opsPerSecond()));
        line(out, spec.workload() == Workload.WATCH_LATENCY ? "delivery ms" : "latency ms",
                String.format(Locale.ROOT, "p50 %s  p90 %s  p99 %s  p99.9 %s  max %s  (mean %s, n=%d)",
                        ms(latency.p50()), ms(latency.p90()), ms(latency.p99()), ms(latency.p999()),
                        ms(latency.max()), ms(latency.mean()), latency.count()));
        line(out, "errors", result.errors().isEmpty() ? "none" : result.errors().entrySet().stream()
                .map(entry -> entry.getKey() + " " + entry.getValue() + " (first: "
                        + result.errorMessages().get(entry.getKey()) + ")")
                .collect(Collectors.joining("; ")));
        result.details().forEach((name, value) -> line(out, name, String.valueOf(value)));
        return out.toString();
    }

    private static String describe(LoadSpec spec) {
        return switch (spec.workload()) {
            case PUT -> "put, " + spec.valueSize() + "-byte values, " + spec.keySpace() + " keys";
            case RANGE -> "range (" + spec.consistency() + "), " + spec.keySpace() + " keys";
            case TXN_CAS -> "txn-cas, " + spec.valueSize() + "-byte values, " + spec.keySpace() + " keys";
            case WATCH_LATENCY -> "watch-latency, " + spec.watchers() + " watchers";
        };
    }

    private static void line(StringBuilder out, String name, String value) {
        out.append(String.format(Locale.ROOT, "%-18s %s%n", name, value));
    }

    private static String ms(double nanos) {
        return String.format(Locale.ROOT, "%.3f", LatencySummary.millis(nanos));
    }

    public static String json(LoadResult result) {
        LoadSpec spec = result.spec();
        LatencySummary latency = result.latency();
        StringBuilder out = new StringBuilder("{");
        field(out, "workload", quote(spec.workload().cliName())).append(',');
        field(out, "endpoints", spec.endpoints().stream().map(e -> quote(e.toString()))
                .collect(Collectors.joining(",", "[", "]"))).append(',');
        field(out, "clients", spec.clients()).append(',');
        field(out, "conns", spec.conns()).append(',');
        field(out, "ops", result.ops()).append(',');
        field(out, "elapsed_s", number(result.elapsed().toNanos() / 1e9)).append(',');
        field(out, "ops_per_s", number(result.opsPerSecond())).append(',');
        field(out, "latency_ms", "{" + String.join(",",
                quote("count") + ":" + latency.count(),
                quote("mean") + ":" + number(LatencySummary.millis(latency.mean())),
                quote("p50") + ":" + number(LatencySummary.millis(latency.p50())),
                quote("p90") + ":" + number(LatencySummary.millis(latency.p90())),
                quote("p99") + ":" + number(LatencySummary.millis(latency.p99())),
                quote("p99_9") + ":" + number(LatencySummary.millis(latency.p999())),
                quote("max") + ":" + number(LatencySummary.millis(latency.max()))) + "}").append(',');
        field(out, "errors", object(result.errors())).append(',');
        field(out, "error_messages", object(result.errorMessages())).append(',');
        field(out, "details", object(result.details()));
        return out.append('}').toString();
    }

    private static StringBuilder field(StringBuilder out, String name, Object value) {
        return out.append(quote(name)).append(':').append(value);
    }

    private static String object(Map<String, ?> map) {
        return map.entrySet().stream()
                .map(entry -> quote(entry.getKey()) + ":" + value(entry.getValue()))
                .collect(Collectors.joining(",", "{", "}"));
    }

    private static String value(Object value) {
        if (value instanceof Double d) {
            return number(d);
        }
        if (value instanceof Number n) {
            return n.toString();
        }
        return quote(String.valueOf(value));
    }

    private static String number(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "null";
        }
        return String.format(Locale.ROOT, "%.6f", value).replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
