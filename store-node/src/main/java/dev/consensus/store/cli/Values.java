package dev.consensus.store.cli;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Converts flag text to numbers and booleans the way Go's flag package does.
 *
 * <p>Why: etcd's numeric flags are mostly unsigned, so "-1" is a parse error there, not a
 * validation error; we keep that split and etcd's wording ("parse error").
 */
final class Values {

    private Values() {
    }

    /** An unsigned integer flag; a negative or non-numeric value is a parse error. */
    static long unsigned(String flag, String text) {
        long value = signed(flag, text);
        if (value < 0) {
            throw FlagException.invalidValue(flag, text, "parse error");
        }
        return value;
    }

    /** A signed 64-bit integer flag. */
    static long signed(String flag, String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw FlagException.invalidValue(flag, text, "parse error");
        }
    }

    /** A boolean flag, with the spellings Go's strconv.ParseBool accepts. */
    static boolean bool(String flag, String text) {
        return switch (text) {
            case "1", "t", "T", "TRUE", "true", "True" -> true;
            case "0", "f", "F", "FALSE", "false", "False" -> false;
            default -> throw FlagException.invalidValue(flag, text, "parse error");
        };
    }

    /**
     * A duration in Go's syntax ({@code time.ParseDuration}): "0", or a sequence of decimal
     * numbers, each with a unit (ns, us, µs, ms, s, m, h), such as "10m0s", "1.5h" or "300ms".
     */
    static Duration duration(String flag, String text) {
        String t = text.trim();
        if (t.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = DURATION_PART.matcher(t);
        BigDecimal nanos = BigDecimal.ZERO;
        int at = 0;
        while (at < t.length() && m.find(at) && m.start() == at) {
            nanos = nanos.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unitNanos(m.group(2)))));
            at = m.end();
        }
        if (at == 0 || at != t.length()) {
            throw FlagException.invalidValue(flag, text, "parse error");
        }
        return Duration.ofNanos(nanos.longValue());
    }

    private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");

    private static long unitNanos(String unit) {
        return switch (unit) {
            case "ns" -> 1L;
            case "us", "µs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            default -> 3_600_000_000_000L; // h
        };
    }

    /** Lower-cased for comparisons against a fixed set of words. */
    static String word(String text) {
        return text.trim().toLowerCase(Locale.ROOT);
    }
}
