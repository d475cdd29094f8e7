package dev.consensus.store.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * The {@code store-node} command: reads etcd's flags and environment, and for now reports the
 * configuration it would run with.
 *
 * <p>Why: it lets the seed StatefulSet's command line be checked against store-node before the
 * server exists. Promises: {@code --help} and {@code --version} print to stdout and exit 0; bad
 * flags print one line in etcd's words to stderr and exit 2 (parse) or 1 (verification), as etcd
 * does, never a stack trace; otherwise the configuration summary goes to stderr, followed by a
 * line saying the server is not built yet, and the exit status is 0.
 */
public final class StoreNodeMain {

    /** The line printed after the summary until the server replaces it. */
    public static final String NOT_BUILT_YET =
            "store-node: the server is not built yet; these flags were parsed and checked, nothing was started.";

    private StoreNodeMain() {
    }

    public static void main(String[] args) {
        System.exit(run(List.of(args), System.getenv(), System.out, System.err));
    }

    /** Runs the command; returns the exit status. */
    public static int run(List<String> args, Map<String, String> environment, PrintStream out, PrintStream err) {
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
            err.println(NOT_BUILT_YET);
            return 0;
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
