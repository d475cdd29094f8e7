package dev.consensus.store.cli;

import java.util.Locale;

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

    /** Lower-cased for comparisons against a fixed set of words. */
    static String word(String text) {
        return text.trim().toLowerCase(Locale.ROOT);
    }
}
