package dev.consensus.faults;

import dev.consensus.faults.check.Checkers;
import dev.consensus.faults.check.LeaseChecker;
import dev.consensus.faults.check.LinearizabilityChecker;
import dev.consensus.faults.history.History;
import dev.consensus.faults.history.HistoryFile;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Re-checks a recorded history offline:
 * {@code java -cp faults/target/classes dev.consensus.faults.CheckHistory <history.jsonl>}.
 * Exit status: 0 every checker passed, 1 a violation, 2 undecided (a search budget ran out),
 * 64 a usage error, 65 a history file that cannot be read.
 */
public final class CheckHistory {

    static final int OK = 0;
    static final int VIOLATION = 1;
    static final int UNKNOWN = 2;
    static final int USAGE = 64;
    static final int BAD_INPUT = 65;

    private static final String USAGE_TEXT = """
            usage: CheckHistory <history.jsonl> [--max-steps N] [--alive-slack-ms N] [--expiry-slack-ms N]
              --max-steps        linearizability search budget per key (default %d)
              --alive-slack-ms   lease checker: slack before a missing leased key is a violation (default %d)
              --expiry-slack-ms  lease checker: slack after a lease's latest expiry, per fault too (default %d)
            """.formatted(LinearizabilityChecker.Options.DEFAULT.maxStepsPerKey(),
            LeaseChecker.Options.DEFAULT.aliveSlackNanos() / 1_000_000,
            LeaseChecker.Options.DEFAULT.expirySlackNanos() / 1_000_000);

    private CheckHistory() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Path file = null;
        long maxSteps = LinearizabilityChecker.Options.DEFAULT.maxStepsPerKey();
        long aliveSlack = LeaseChecker.Options.DEFAULT.aliveSlackNanos();
        long expirySlack = LeaseChecker.Options.DEFAULT.expirySlackNanos();
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--max-steps" -> maxSteps = number(args, ++i);
                    case "--alive-slack-ms" -> aliveSlack = number(args, ++i) * 1_000_000;
                    case "--expiry-slack-ms" -> expirySlack = number(args, ++i) * 1_000_000;
                    case "-h", "--help" -> {
                        out.print(USAGE_TEXT);
                        return OK;
                    }
                    default -> {
                        if (args[i].startsWith("-") || file != null) {
                            throw new IllegalArgumentException("unexpected argument \"" + args[i] + "\"");
                        }
                        file = Path.of(args[i]);
                    }
                }
            }
            if (file == null) {
                throw new IllegalArgumentException("no history file given");
            }
            Checkers checkers = new Checkers(new LinearizabilityChecker.Options(maxSteps),
                    new LeaseChecker.Options(aliveSlack, expirySlack));
            if (!Files.isReadable(file)) {
                err.println("CheckHistory: cannot read " + file);
                return BAD_INPUT;
            }
            History history;
            try {
                history = HistoryFile.read(file);
            } catch (IOException | RuntimeException e) {
                err.println("CheckHistory: " + e.getMessage());
                return BAD_INPUT;
            }
            Checkers.Report report = checkers.check(history);
            out.print(report.text());
            return switch (report.status()) {
                case OK -> OK;
                case VIOLATION -> VIOLATION;
                case UNKNOWN -> UNKNOWN;
            };
        } catch (IllegalArgumentException e) {
            err.println("CheckHistory: " + e.getMessage());
            err.print(USAGE_TEXT);
            return USAGE;
        }
    }

    private static long number(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        try {
            return Long.parseLong(args[i]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(args[i - 1] + " needs a whole number, got \"" + args[i] + "\"");
        }
    }
}
