package dev.consensus.faults.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * One running {@code store-node} process: {@code java -jar store-node.jar <args>} on this JVM's
 * own {@code java}, as {@code bin/store-node} runs it, with its output appended to a log file.
 * Signals go to this PID only: SIGKILL, SIGSTOP and SIGCONT (the last two through
 * {@code /bin/kill}, which the JDK cannot send). Every wait is bounded.
 */
final class NodeProcess {

    /** Small heap, one GC thread: several members and the clients share two cores. */
    private static final List<String> JVM_OPTIONS = List.of("--enable-native-access=ALL-UNNAMED", "-Xmx192m",
            "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:+ExitOnOutOfMemoryError");

    private final Process process;
    private final Path log;
    /** Where this start's output begins in the log, which every start of the member appends to. */
    private final long logStart;

    private NodeProcess(Process process, Path log, long logStart) {
        this.process = process;
        this.log = log;
        this.logStart = logStart;
    }

    /** The packaged jar, from {@code -Dstore-node.jar}, else {@code store-node/target/store-node.jar}. */
    static Path jar() {
        Path jar = Path.of(System.getProperty("store-node.jar", "store-node/target/store-node.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath() + " does not exist: build it first with"
                    + " ./mvnw -pl store-api,store-node -am package -DskipTests (make build)");
        }
        return jar.toAbsolutePath();
    }

    /**
     * Starts a member. {@code hostsFile} becomes the JVM's only name service
     * ({@code -Djdk.net.hosts.file}), which is how each member reaches its peers through its own
     * proxies (see {@link PeerNetwork}).
     */
    static NodeProcess start(List<String> args, Path hostsFile, Path log, List<String> jvmOptions) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTIONS);
        command.addAll(jvmOptions);
        command.add("-Djdk.net.hosts.file=" + hostsFile);
        command.add("-jar");
        command.add(jar().toString());
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // The harness's own ETCD_* or JVM option variables must not change how members start.
        pb.environment().keySet().removeIf(k -> k.startsWith("ETCD_") || k.equals("JAVA_TOOL_OPTIONS")
                || k.equals("JDK_JAVA_OPTIONS") || k.equals("_JAVA_OPTIONS"));
        try {
            long logStart = Files.exists(log) ? Files.size(log) : 0;
            return new NodeProcess(pb.start(), log, logStart);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + command, e);
        }
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL, and wait (bounded) until it is gone. */
    void kill() {
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(20));
    }

    /** SIGKILL without waiting (a stopped process dies of it too). */
    void killNow() {
        process.destroyForcibly();
    }

    /** SIGTERM, then SIGKILL after a grace period. */
    void stop(Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        resume(); // a stopped process cannot handle SIGTERM
        process.destroy();
        if (!awaitExit(grace)) {
            kill();
        }
    }

    void pause() {
        signal("STOP");
    }

    void resume() {
        signal("CONT");
    }

    private void signal(String name) {
        if (!process.isAlive()) {
            return;
        }
        try {
            Process k = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
                    .redirectErrorStream(true).start();
            if (!k.waitFor(10, TimeUnit.SECONDS)) {
                k.destroyForcibly();
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " did not finish");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not run kill -" + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    boolean awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Waits until {@code host:port} accepts a connection; fails with the log's end otherwise. */
    void awaitPort(String host, int port, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("store-node exited with " + process.exitValue() + " before listening on "
                        + host + ":" + port + "\n" + logTail());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), 500);
                return;
            } catch (IOException notYet) {
                sleep(100);
            }
        }
        throw new IllegalStateException("store-node did not listen on " + host + ":" + port + " within " + timeout
                + "\n" + logTail());
    }

    /** The exit status, once the process has ended. */
    OptionalInt exitStatus() {
        return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
    }

    /** The lines this start of the member wrote to its log that contain {@code text}. */
    List<String> logLines(String text) {
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(log.toFile(), "r")) {
            long from = Math.min(logStart, f.length());
            byte[] bytes = new byte[(int) (f.length() - from)];
            f.seek(from);
            f.readFully(bytes);
            return new String(bytes, java.nio.charset.StandardCharsets.UTF_8).lines()
                    .filter(l -> l.contains(text)).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(log " + log + " unreadable: " + e.getMessage() + ")";
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
