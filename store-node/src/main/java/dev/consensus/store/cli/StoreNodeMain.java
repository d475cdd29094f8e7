package dev.consensus.store.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * The {@code store-node} command: reads etcd's flags and environment and runs the member.
 *
 * <p>Promises: {@code --help} and {@code --version} print to stdout and exit 0; bad flags print
 * one line in etcd's words to stderr and exit 2 (parse) or 1 (verification), as etcd does, never
 * a stack trace; otherwise the configuration summary goes to stderr and the member runs until it
 * is stopped (on SIGTERM it closes cleanly and exits by the signal; 0 when removed from the
 * cluster; 1 when it fails).
 */
public final class StoreNodeMain {

    /**
     * A hidden flag, not in {@code --help} nor settable by an {@code ETCD_*} variable: plants a
     * stale-read bug so the fault harness can show its checkers catch it. Never for real use.
     */
    public static final String UNSAFE_LOCAL_READS = "--unsafe-local-linearizable-reads";

    private StoreNodeMain() {
    }

    public static void main(String[] args) {
        System.exit(run(List.of(args), System.getenv(), System.out, System.err));
    }

    /** Runs the command; returns the exit status. */
    public static int run(List<String> args, Map<String, String> environment, PrintStream out, PrintStream err) {
        boolean unsafeLocalReads = args.contains(UNSAFE_LOCAL_READS);
        List<String> rest = args.stream().filter(a -> !a.equals(UNSAFE_LOCAL_READS)).toList();
        if (unsafeLocalReads) {
            err.println("store-node: warning: " + UNSAFE_LOCAL_READS + " answers linearizable reads from local"
                    + " state without ReadIndex, so they can be stale. It is a planted bug for the fault tests"
                    + " (docs/reliability.md); never use it.");
        }
        return run(rest, environment, out, err, config -> NodeRunner.run(config, err, unsafeLocalReads));
    }

    /** As above, with what to do with a valid configuration ({@link NodeRunner} in production). */
    static int run(List<String> args, Map<String, String> environment, PrintStream out, PrintStream err,
            java.util.function.ToIntFunction<ServerConfig> member) {
        if (!args.isEmpty() && args.getFirst().equals(SnapshotCommand.NAME)) {
            return SnapshotCommand.run(args.subList(1, args.size()), environment, out, err);
        }
        try {
            ParsedFlags flags = FlagParser.parse(args, environment);
            if (flags.helpRequested()) {
                out.print(FlagParser.usage());
                return 0;
            }
            if (flags.versionRequested()) {
                out.print(StoreNodeVersion.text());
                return 0;
            }
            flags.warnings().forEach(warning -> err.println("store-node: warning: " + warning));
            ServerConfig config = ConfigBinder.bind(flags);
            err.print(ConfigSummary.of(config));
            return member.applyAsInt(config);
        } catch (FlagException e) {
            if (e.kind() == FlagException.Kind.VERIFY) {
                err.println("store-node: error verifying flags, " + e.getMessage() + ". See 'store-node --help'.");
            } else {
                err.println("store-node: " + e.getMessage());
                err.println("See 'store-node --help'.");
            }
            return e.kind().exitCode();
        }
    }
}
