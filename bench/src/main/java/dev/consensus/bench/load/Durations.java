package dev.consensus.bench.load;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations written as etcd's tools write them: {@code 500ms}, {@code 3s}, {@code 2m},
 * {@code 1m30s}, {@code 0}. A bare number other than 0 is refused, because whether it meant
 * seconds or milliseconds is exactly the mistake a benchmark flag must not guess.
 */
public final class Durations {

    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

    private Durations() {
    }

    public static Duration parse(String text) {
        String trimmed = text.strip();
        if (trimmed.equals("0")) {
            return Duration.ZERO;
        }
        Matcher matcher = PART.matcher(trimmed);
        long nanos = 0;
        int end = 0;
        while (matcher.find() && matcher.start() == end) {
            double amount = Double.parseDouble(matcher.group(1));
            long unit = switch (matcher.group(2)) {
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            };
            nanos += Math.round(amount * unit);
            end = matcher.end();
        }
        if (end == 0 || end != trimmed.length()) {
            throw new IllegalArgumentException("invalid duration '" + text + "' (expected e.g. 500ms, 3s, 2m, 1m30s)");
        }
        return Duration.ofNanos(nanos);
    }

    /** Short human form: {@code 250ms}, {@code 3s}, {@code 1.5s}, {@code 2m}. */
    public static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis < 1000) {
            return millis + "ms";
        }
        if (millis % 60_000 == 0) {
            return millis / 60_000 + "m";
        }
        if (millis % 1000 == 0) {
            return millis / 1000 + "s";
        }
        return String.format(java.util.Locale.ROOT, "%.3fs", millis / 1000.0);
    }
}
