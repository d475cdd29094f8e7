package dev.consensus.store.cli;

/**
 * A command line or environment that {@code store-node} refuses, with the message to show.
 *
 * <p>Why: a bad flag must reach the user as one clear line in etcd's words, never as a stack
 * trace. The kind decides the exit status, as in etcd: a value that does not parse exits 2
 * (Go's flag package), a set of values that do not fit together exits 1.
 */
public final class FlagException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why the flags were refused. */
    public enum Kind {
        /** An unknown flag or a value that does not parse. */
        PARSE(2),
        /** Values that parse but break a rule, alone or together. */
        VERIFY(1);

        private final int exitCode;

        Kind(int exitCode) {
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }
    }

    private final Kind kind;

    public FlagException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public static FlagException parse(String message) {
        return new FlagException(Kind.PARSE, message);
    }

    /** A value that does not parse, in Go's flag package words. */
    public static FlagException invalidValue(String flag, String value, String reason) {
        return parse("invalid value \"" + value + "\" for flag -" + flag + ": " + reason);
    }

    public static FlagException verify(String message) {
        return new FlagException(Kind.VERIFY, message);
    }

    public Kind kind() {
        return kind;
    }
}
