package dev.consensus.store.testing;

import dev.consensus.api.etcdserverpb.ClusterGrpc;
import dev.consensus.api.etcdserverpb.KVGrpc;
import dev.consensus.api.etcdserverpb.LeaseGrpc;
import dev.consensus.api.etcdserverpb.MaintenanceGrpc;
import dev.consensus.api.etcdserverpb.StatusRequest;
import dev.consensus.api.etcdserverpb.StatusResponse;
import dev.consensus.api.etcdserverpb.WatchGrpc;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real single-member etcd, started for a test on loopback, with a gRPC channel to it.
 *
 * <p>Why: our server must answer exactly as etcd does, and the only trustworthy description of
 * etcd's answers is etcd itself. This fixture runs the installed {@code etcd} (see
 * {@link EtcdBinaries}) on free ports of 127.0.0.1, in a fresh directory it creates under the
 * directory it is given, and talks to it through our own generated stubs.
 *
 * <p>Promises: {@link #start} returns only once the member answers {@code Status} with a leader,
 * or fails within {@link #START_TIMEOUT} with the tail of etcd's log; it fails, rather than
 * skips, when etcd is not installed. {@link #close} shuts the channel and stops the one process
 * it started, by its PID (SIGTERM, then SIGKILL after {@link #STOP_GRACE}); a JVM shutdown hook
 * does the same if a test run dies first. It deletes nothing: its directory lies under the
 * caller's temporary directory, and etcd's log stays there for a failing test to be read.
 */
public final class EtcdProcess implements AutoCloseable {

    /** Longest wait for a started etcd to serve requests. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(20);
    /** How long etcd may take to exit after SIGTERM before it gets SIGKILL. */
    public static final Duration STOP_GRACE = Duration.ofSeconds(5);
    /** Deadline of each blocking call made through this fixture's blocking stubs. */
    public static final Duration RPC_TIMEOUT = Duration.ofSeconds(10);
    /** The member name, as {@code --name} and in {@code --initial-cluster}. */
    public static final String NAME = "etcd-test";

    // A port picked free can be taken by someone else before etcd binds it; then start again.
    private static final int START_ATTEMPTS = 3;
    private static final Duration PROBE_TIMEOUT = Duration.ofMillis(250);
    private static final int LOG_TAIL_LINES = 40;

    private final EtcdBinaries binaries;
    private final Path dir;
    private final String clientUrl;
    private final String peerUrl;
    private final Process process;
    private final Thread reaper;
    private final ManagedChannel channel;
    private boolean closed;

    private EtcdProcess(EtcdBinaries binaries, Path dir, String clientUrl, String peerUrl, Process process,
            Thread reaper, ManagedChannel channel) {
        this.binaries = binaries;
        this.dir = dir;
        this.clientUrl = clientUrl;
        this.peerUrl = peerUrl;
        this.process = process;
        this.reaper = reaper;
        this.channel = channel;
    }

    /** Starts etcd with the fixture's flags only. */
    public static EtcdProcess start(Path parentDir) {
        return start(parentDir, List.of());
    }

    /**
     * Starts etcd in a new directory under {@code parentDir}.
     *
     * @param extraArgs further etcd flags, appended after the fixture's own (for limits such as
     *     {@code --quota-backend-bytes=...}, {@code --max-txn-ops=...}, {@code --max-request-bytes=...})
     */
    public static EtcdProcess start(Path parentDir, List<String> extraArgs) {
        EtcdBinaries binaries = EtcdBinaries.locate();
        PortTakenException lastClash = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            try {
                return launch(binaries, parentDir, List.copyOf(extraArgs));
            } catch (PortTakenException e) {
                lastClash = e;
            }
        }
        throw new IllegalStateException("etcd found its ports taken " + START_ATTEMPTS + " times", lastClash);
    }

    private static EtcdProcess launch(EtcdBinaries binaries, Path parentDir, List<String> extraArgs) {
        List<Integer> ports = LoopbackPorts.pick(2);
        String clientUrl = "http://" + LoopbackPorts.HOST + ":" + ports.get(0);
        String peerUrl = "http://" + LoopbackPorts.HOST + ":" + ports.get(1);
        Path dir;
        Process process;
        try {
            dir = Files.createTempDirectory(parentDir, "etcd-");
            List<String> command = command(binaries.etcd(), dir.resolve("data"), clientUrl, peerUrl, extraArgs);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("etcd.log").toFile());
            // The developer's ETCD_* variables would silently override our flags.
            builder.environment().keySet().removeIf(name -> name.startsWith("ETCD_"));
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + binaries.etcd(), e);
        }
        Thread reaper = new Thread(process::destroyForcibly, "etcd-reaper-" + process.pid());
        Runtime.getRuntime().addShutdownHook(reaper);
        ManagedChannel channel = NettyChannelBuilder.forAddress(LoopbackPorts.HOST, ports.get(0))
                .usePlaintext()
                .build();
        EtcdProcess etcd = new EtcdProcess(binaries, dir, clientUrl, peerUrl, process, reaper, channel);
        try {
            etcd.awaitReady();
            return etcd;
        } catch (RuntimeException e) {
            etcd.close();
            throw e;
        }
    }

    private static List<String> command(Path etcd, Path dataDir, String clientUrl, String peerUrl,
            List<String> extraArgs) {
        List<String> command = new ArrayList<>(List.of(
                etcd.toString(),
                "--name=" + NAME,
                "--data-dir=" + dataDir,
                "--listen-client-urls=" + clientUrl,
                "--advertise-client-urls=" + clientUrl,
                "--listen-peer-urls=" + peerUrl,
                "--initial-advertise-peer-urls=" + peerUrl,
                "--initial-cluster=" + NAME + "=" + peerUrl,
                "--initial-cluster-state=new",
                "--initial-cluster-token=" + NAME + "-" + dataDir.getParent().getFileName(),
                "--logger=zap",
                "--log-outputs=stderr"));
        command.addAll(extraArgs);
        return command;
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        StatusRuntimeException lastError = null;
        while (System.nanoTime() - deadline < 0) {
            if (!process.isAlive()) {
                String tail = logTail();
                if (tail.contains("address already in use")) {
                    throw new PortTakenException(tail);
                }
                throw new IllegalStateException("etcd exited with " + process.exitValue()
                        + " before it served requests; the end of " + logFile() + ":\n" + tail);
            }
            try {
                // Wait-for-ready plus a short deadline: each probe blocks until the port answers
                // or the deadline passes, so the loop needs no sleep.
                StatusResponse status = MaintenanceGrpc.newBlockingStub(channel)
                        .withWaitForReady()
                        .withDeadlineAfter(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                        .status(StatusRequest.getDefaultInstance());
                if (status.getLeader() != 0) {
                    return;
                }
            } catch (StatusRuntimeException e) {
                lastError = e;
                channel.resetConnectBackoff();
            }
        }
        throw new IllegalStateException("etcd did not answer Status with a leader within " + START_TIMEOUT
                + " (last error: " + lastError + "); the end of " + logFile() + ":\n" + logTail(), lastError);
    }

    /** The last lines etcd wrote, for failure messages. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile(), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException e) {
            return "(could not read " + logFile() + ": " + e + ")";
        }
    }

    public String clientUrl() {
        return clientUrl;
    }

    public String peerUrl() {
        return peerUrl;
    }

    public long pid() {
        return process.pid();
    }

    /** The directory this fixture created for etcd: {@code data/} and {@code etcd.log}. */
    public Path directory() {
        return dir;
    }

    public Path logFile() {
        return dir.resolve("etcd.log");
    }

    public ManagedChannel channel() {
        return channel;
    }

    /** A blocking KV stub whose calls must finish within {@link #RPC_TIMEOUT} from now. */
    public KVGrpc.KVBlockingStub kv() {
        return KVGrpc.newBlockingStub(channel).withDeadlineAfter(RPC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    public KVGrpc.KVStub kvAsync() {
        return KVGrpc.newStub(channel);
    }

    /** Watch is a bidirectional stream, so it has only the asynchronous stub. */
    public WatchGrpc.WatchStub watch() {
        return WatchGrpc.newStub(channel);
    }

    /** A blocking Lease stub whose calls must finish within {@link #RPC_TIMEOUT} from now. */
    public LeaseGrpc.LeaseBlockingStub lease() {
        return LeaseGrpc.newBlockingStub(channel).withDeadlineAfter(RPC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    public LeaseGrpc.LeaseStub leaseAsync() {
        return LeaseGrpc.newStub(channel);
    }

    /** A blocking Maintenance stub whose calls must finish within {@link #RPC_TIMEOUT} from now. */
    public MaintenanceGrpc.MaintenanceBlockingStub maintenance() {
        return MaintenanceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(RPC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    public MaintenanceGrpc.MaintenanceStub maintenanceAsync() {
        return MaintenanceGrpc.newStub(channel);
    }

    /** A blocking Cluster stub whose calls must finish within {@link #RPC_TIMEOUT} from now. */
    public ClusterGrpc.ClusterBlockingStub cluster() {
        return ClusterGrpc.newBlockingStub(channel).withDeadlineAfter(RPC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Runs the real {@code etcdctl --endpoints=<this member> <args>} and captures its output. */
    public EtcdctlResult etcdctl(String... args) {
        return new Etcdctl(binaries.etcdctl(), clientUrl, dir).run(args);
    }

    /** Shuts the channel, then stops the etcd process this fixture started. Safe to call twice. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        channel.shutdownNow();
        try {
            channel.awaitTermination(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ProcessTermination.stop(process, STOP_GRACE);
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is already exiting; the hook has nothing left to stop.
        }
    }

    /** etcd exited at start because another process took one of its ports first. */
    private static final class PortTakenException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PortTakenException(String logTail) {
            super("etcd could not bind its ports:\n" + logTail);
        }
    }
}
