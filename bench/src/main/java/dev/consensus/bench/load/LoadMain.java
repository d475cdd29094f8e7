package dev.consensus.bench.load;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The {@code load} command: one workload against the given endpoints, then its result as text
 * or JSON on stdout. Bad arguments print one line saying which and why, and exit 2; a run in
 * which no request succeeded exits 1, so a script notices a dead endpoint.
 */
@Command(name = "load", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Drives a server through the etcd v3 API and reports throughput, latency and errors.")
public final class LoadMain implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "WORKLOAD", description = "put, range, txn-cas or watch-latency")
    String workload;

    @Option(names = "--endpoints", split = ",", defaultValue = "127.0.0.1:2379",
            description = "comma-separated client endpoints (default: ${DEFAULT-VALUE})")
    List<String> endpoints;

    @Option(names = "--clients", defaultValue = "1",
            description = "requests in flight at once; for watch-latency the writer's (default: ${DEFAULT-VALUE})")
    int clients;

    @Option(names = "--conns", description = "gRPC connections, spread over the endpoints (default: one per endpoint)")
    Integer conns;

    @Option(names = "--total", defaultValue = "0", description = "requests to complete; 0: no count limit")
    long total;

    @Option(names = "--duration", description = "how long to run, e.g. 10s, 2m (default: 10s unless --total is given)")
    String duration;

    @Option(names = "--warmup", defaultValue = "0", description = "unrecorded run before measuring, e.g. 1s")
    String warmup;

    @Option(names = "--value-size", defaultValue = "256", description = "bytes per value (default: ${DEFAULT-VALUE})")
    int valueSize;

    @Option(names = "--key-space", defaultValue = "10000", description = "distinct keys (default: ${DEFAULT-VALUE})")
    int keySpace;

    @Option(names = "--key-prefix", defaultValue = "bench/", description = "prefix of every key (default: ${DEFAULT-VALUE})")
    String keyPrefix;

    @Option(names = "--consistency", defaultValue = "l",
            description = "range consistency: l linearizable, s serializable (default: ${DEFAULT-VALUE})")
    String consistency;

    @Option(names = "--watchers", defaultValue = "16", description = "watch streams for watch-latency (default: ${DEFAULT-VALUE})")
    int watchers;

    @Option(names = "--timeout", defaultValue = "10s", description = "deadline of each request (default: ${DEFAULT-VALUE})")
    String timeout;

    @Option(names = "--json", description = "print the result as one JSON object")
    boolean json;

    private PrintStream out = System.out;
    private PrintStream err = System.err;

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command; returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        LoadMain command = new LoadMain();
        command.out = out;
        command.err = err;
        return new CommandLine(command)
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("load: " + e.getMessage());
                    return 1;
                })
                .execute(args);
    }

    /** Parses and checks the arguments, as the command would, without running anything. */
    public static LoadSpec parse(String... args) {
        LoadMain command = new LoadMain();
        new CommandLine(command).parseArgs(args);
        return command.spec();
    }

    LoadSpec spec() {
        List<Endpoint> parsedEndpoints = endpoints.stream().filter(e -> !e.isBlank()).map(Endpoint::parse).toList();
        Duration runFor = duration != null ? Durations.parse(duration) : total > 0 ? Duration.ZERO : Duration.ofSeconds(10);
        return new LoadSpec(parsedEndpoints, Workload.parse(workload), clients,
                conns != null ? conns : Math.max(1, parsedEndpoints.size()), total, runFor, Durations.parse(warmup),
                valueSize, keySpace, keyPrefix, Consistency.parse(consistency), watchers, Durations.parse(timeout));
    }

    @Override
    public Integer call() {
        LoadSpec spec;
        try {
            spec = spec();
        } catch (IllegalArgumentException e) {
            err.println("load: " + e.getMessage());
            err.println("See 'load --help'.");
            return 2;
        }
        LoadResult result = LoadRunner.run(spec);
        out.println(json ? ResultFormat.json(result) : ResultFormat.text(result));
        return result.ops() > 0 ? 0 : 1;
    }
}
