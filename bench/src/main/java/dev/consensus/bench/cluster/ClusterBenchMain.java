package dev.consensus.bench.cluster;

import dev.consensus.bench.load.Durations;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code cluster-bench} command: etcd and the other server side by side, report to stdout
 * and to a markdown file. Without {@code --server}, the other side is store-node's jar when it
 * has been built, and is skipped, saying so, when it has not.
 */
@Command(name = "cluster-bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Starts a cluster of etcd, then of the other server, runs the same loads on each, "
                + "and prints one table of ratios.")
public final class ClusterBenchMain implements Callable<Integer> {

    @Option(names = "--etcd", description = "the etcd binary (default: $ETCD_BIN_DIR/etcd, else /usr/bin/etcd)")
    Path etcd;

    @Option(names = "--server", description = "the other server's command, words separated by spaces "
            + "(default: bin/store-node, or java -jar store-node/target/store-node.jar, once that jar is built)")
    String server;

    @Option(names = "--server-name", description = "the other server's label (default: store-node, or etcd-b when --server is etcd)")
    String serverName;

    @Option(names = "--etcd-only", description = "measure etcd alone")
    boolean etcdOnly;

    @Option(names = "--etcd-flags", defaultValue = "", description = "extra flags for every etcd member, space-separated")
    String etcdFlags;

    @Option(names = "--server-flags", defaultValue = "", description = "extra flags for every member of the other server")
    String serverFlags;

    @Option(names = "--rounds", defaultValue = "1",
            description = "times each side runs every load, alternating which goes first; the median is reported "
                    + "(default: ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--members", defaultValue = "3", description = "members per cluster (default: ${DEFAULT-VALUE})")
    int members;

    @Option(names = "--duration", defaultValue = "10s", description = "measured time of each load (default: ${DEFAULT-VALUE})")
    String duration;

    // Long enough for a JVM server's JIT to compile its hot path; 1 s measured a cold JVM against
    // a compiled Go binary (docs/benchmarks.md, "Where the time and the CPU go").
    @Option(names = "--warmup", defaultValue = "20s",
            description = "unrecorded load before each measured load (default: ${DEFAULT-VALUE})")
    String warmup;

    // A load's own warm-up compiles only its own kind of request; the pass over every kind first
    // measures a server that has run all of them (docs/benchmarks.md, "Steady state").
    @Option(names = "--settle", defaultValue = "70s",
            description = "unrecorded pass over every load, split evenly, before the first measured one; 0: none "
                    + "(default: ${DEFAULT-VALUE})")
    String settle;

    @Option(names = "--put-clients", split = ",", defaultValue = "1,16,64,256",
            description = "client counts of the put loads (default: ${DEFAULT-VALUE})")
    List<Integer> putClients;

    @Option(names = "--clients", defaultValue = "16", description = "clients of the range and txn-cas loads (default: ${DEFAULT-VALUE})")
    int clients;

    @Option(names = "--watchers", defaultValue = "16", description = "watchers of the watch load (default: ${DEFAULT-VALUE})")
    int watchers;

    @Option(names = "--value-size", defaultValue = "256", description = "bytes per value (default: ${DEFAULT-VALUE})")
    int valueSize;

    @Option(names = "--key-space", defaultValue = "10000", description = "keys of put and txn-cas (default: ${DEFAULT-VALUE})")
    int keySpace;

    @Option(names = "--range-key-space", defaultValue = "1000",
            description = "keys written, then read, by the range loads (default: ${DEFAULT-VALUE})")
    int rangeKeySpace;

    @Option(names = "--timeout", defaultValue = "10s", description = "deadline of each load request (default: ${DEFAULT-VALUE})")
    String timeout;

    @Option(names = "--failover-rounds", defaultValue = "3", description = "leader kills per side (default: ${DEFAULT-VALUE}; 0: none)")
    int failoverRounds;

    @Option(names = "--failover-timeout", defaultValue = "20s",
            description = "longest wait for a put after a kill (default: ${DEFAULT-VALUE})")
    String failoverTimeout;

    @Option(names = "--probe-interval", defaultValue = "20ms",
            description = "after a kill, a put is started this often; the window's resolution (default: ${DEFAULT-VALUE})")
    String probeInterval;

    @Option(names = "--probe-timeout", defaultValue = "1s",
            description = "deadline of each put tried after a kill (default: ${DEFAULT-VALUE})")
    String probeTimeout;

    @Option(names = "--heartbeat-interval", defaultValue = "100", description = "ms, for both sides (default: ${DEFAULT-VALUE})")
    int heartbeatMillis;

    @Option(names = "--election-timeout", defaultValue = "1000", description = "ms, for both sides (default: ${DEFAULT-VALUE})")
    int electionMillis;

    @Option(names = "--start-timeout", defaultValue = "30s",
            description = "longest wait for a cluster or a restarted member to be ready (default: ${DEFAULT-VALUE})")
    String startTimeout;

    @Option(names = "--rss-interval", defaultValue = "250ms", description = "RSS sampling period (default: ${DEFAULT-VALUE})")
    String rssInterval;

    @Option(names = "--out", defaultValue = "bench/target/cluster-bench.md", description = "markdown report file (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--work-dir", description = "where members keep data and logs (default: a new temporary directory)")
    Path workDir;

    @Option(names = "--keep-data", description = "keep the members' data and logs afterwards")
    boolean keepData;

    private PrintStream stdout = System.out;
    private PrintStream stderr = System.err;

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream stdout, PrintStream stderr) {
        ClusterBenchMain command = new ClusterBenchMain();
        command.stdout = stdout;
        command.stderr = stderr;
        return new CommandLine(command)
                .setOut(new PrintWriter(stdout, true))
                .setErr(new PrintWriter(stderr, true))
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("cluster-bench: " + e.getMessage());
                    return 1;
                })
                .execute(args);
    }

    /** Parses and checks the arguments into a configuration, as the command would. */
    public static BenchConfig parse(String... args) {
        ClusterBenchMain command = new ClusterBenchMain();
        new CommandLine(command).parseArgs(args);
        return command.config();
    }

    BenchConfig config() {
        if (members < 1) {
            throw new IllegalArgumentException("--members must be at least 1, got " + members);
        }
        if (failoverRounds > 0 && members < 3) {
            throw new IllegalArgumentException("failover needs at least 3 members (a majority must survive the kill); "
                    + "give --members 3 or more, or --failover-rounds 0");
        }
        if (rounds < 1) {
            throw new IllegalArgumentException("--rounds must be at least 1, got " + rounds);
        }
        if (putClients.stream().anyMatch(c -> c < 1)) {
            throw new IllegalArgumentException("--put-clients must all be at least 1, got " + putClients);
        }
        BenchPlan plan = new BenchPlan(positive("--duration", duration), Durations.parse(warmup),
                Durations.parse(settle), putClients, clients,
                watchers, valueSize, keySpace, rangeKeySpace, positive("--timeout", timeout));
        // Build the loads once now, so that a bad count or size is refused before any cluster starts.
        plan.loads(members);
        ServerCommand reference = ServerCommand.etcd(etcdBinary(), words(etcdFlags));
        Optional<ServerCommand> other = Optional.empty();
        String skipped = "";
        if (etcdOnly) {
            skipped = "--etcd-only was given";
        } else if (server != null && words(server).size() == 1 && server.strip().endsWith("etcd")) {
            // etcd against itself (the noise floor of the ratios): the same flags on both sides.
            ServerCommand etcdB = ServerCommand.etcd(Path.of(server.strip()), words(serverFlags));
            other = Optional.of(new ServerCommand(serverName != null ? serverName : "etcd-b", etcdB.program(),
                    etcdB.extraFlags()));
        } else if (server != null) {
            other = Optional.of(ServerCommand.parse(serverName != null ? serverName : "other", server, words(serverFlags)));
        } else {
            other = ServerCommand.storeNode(ServerCommand.STORE_NODE_LAUNCHER, ServerCommand.STORE_NODE_JAR,
                            words(serverFlags))
                    .map(c -> serverName != null ? new ServerCommand(serverName, c.program(), c.extraFlags()) : c);
            if (other.isEmpty()) {
                skipped = ServerCommand.STORE_NODE_JAR + " is missing (store-node's server is not built yet): "
                        + "only etcd was measured. Build it, or pass --server '<command>'.";
            }
        }
        return new BenchConfig(reference, other, skipped, members,
                new LocalCluster.Timing(heartbeatMillis, electionMillis), positive("--start-timeout", startTimeout),
                plan, rounds, failoverRounds, positive("--failover-timeout", failoverTimeout),
                positive("--probe-interval", probeInterval), positive("--probe-timeout", probeTimeout), positive("--rss-interval", rssInterval), workDir(), keepData);
    }

    private static Duration positive(String flag, String text) {
        Duration value = Durations.parse(text);
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(flag + " must be positive, got " + text);
        }
        return value;
    }

    private Path etcdBinary() {
        if (etcd != null) {
            return etcd;
        }
        String dir = System.getenv("ETCD_BIN_DIR");
        return dir != null && !dir.isBlank() ? Path.of(dir, "etcd") : Path.of("/usr/bin/etcd");
    }

    /** The given directory, else a new name under java.io.tmpdir (created when a cluster starts). */
    private Path workDir() {
        if (workDir != null) {
            return workDir;
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "cluster-bench-" + Long.toString(System.nanoTime(), 36));
    }

    private static List<String> words(String text) {
        return Arrays.stream(text.strip().split("\\s+")).filter(w -> !w.isEmpty()).toList();
    }

    @Override
    public Integer call() throws IOException {
        BenchConfig config;
        try {
            config = config();
        } catch (IllegalArgumentException e) {
            stderr.println("cluster-bench: " + e.getMessage());
            stderr.println("See 'cluster-bench --help'.");
            return 2;
        }
        Path etcdPath = Path.of(config.etcd().program().get(0));
        if (!Files.isExecutable(etcdPath)) {
            stderr.println("cluster-bench: " + etcdPath + " is not an executable etcd; run scripts/ensure-etcd.sh or pass --etcd");
            return 2;
        }
        if (!config.otherSkipped().isEmpty()) {
            stderr.println("cluster-bench: " + config.otherSkipped());
        }
        String report = new ClusterBench(config, stderr).run();
        stdout.print(report);
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(out, report, StandardCharsets.UTF_8);
        stderr.println("report written to " + out);
        return 0;
    }
}
