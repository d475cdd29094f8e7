package dev.consensus.store.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A real {@code store-node} process, started from the packaged jar for a test.
 *
 * <p>Why: the server's promises about crashes, restarts and its command line only mean
 * something for the program users run. This starts {@code java -jar store-node.jar} on this
 * test JVM's own {@code java}, in a new directory {@code store-node-*} under the directory it is
 * given, with its output in {@code store-node.log} there (kept for a failing test to be read).
 * The caller's {@code ETCD_*} and JVM option variables ({@link ChildProcess#JVM_OPTION_VARIABLES})
 * are not passed on; the ones the test gives are. The jar is {@code -Dstore-node.jar} (set by
 * failsafe for {@code *IT} classes), else {@code target/store-node.jar}; without it the start
 * fails saying how to build it.
 *
 * <p>Everything else (PID, signals, bounded waits for a port or an exit, the log) is
 * {@link ChildProcess}'s, reached through {@link #process()}; {@link #close} ends the process.
 */
public final class StoreNodeProcess implements AutoCloseable {

    /** Heap and GC for a test member: small, and one GC thread, so several fit on two cores. */
    public static final List<String> TEST_JVM_OPTIONS = List.of("-Xmx256m", "-XX:+UseSerialGC",
            "-XX:+ExitOnOutOfMemoryError");

    private final Path directory;
    private final ChildProcess process;

    private StoreNodeProcess(Path directory, ChildProcess process) {
        this.directory = directory;
        this.process = process;
    }

    /** The packaged jar, or a failure saying how to build it. */
    public static Path jar() {
        Path jar = Path.of(System.getProperty("store-node.jar", "target/store-node.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath() + " does not exist: build it with 'make build'"
                    + " (or ./mvnw -pl store-api,store-node package -DskipTests); *IT classes run after it in"
                    + " ./mvnw verify");
        }
        return jar;
    }

    public static Builder builder(Path parentDir) {
        return new Builder(parentDir);
    }

    /** Starts {@code store-node <args>} with no extra environment. */
    public static StoreNodeProcess start(Path parentDir, String... args) {
        return builder(parentDir).args(args).start();
    }

    /** This member's directory: {@code store-node.log}, and whatever data dir the test puts there. */
    public Path directory() {
        return directory;
    }

    public ChildProcess process() {
        return process;
    }

    public long pid() {
        return process.pid();
    }

    public Path logFile() {
        return process.logFile();
    }

    public String log() {
        return process.log();
    }

    /** Waits until {@code 127.0.0.1:port} accepts connections; fails with the log's end otherwise. */
    public void awaitPort(int port, Duration timeout) {
        process.awaitPort(LoopbackPorts.HOST, port, timeout);
    }

    public int awaitExit(Duration timeout) {
        return process.awaitExit(timeout);
    }

    public void kill() {
        process.kill();
    }

    public void terminate() {
        process.terminate();
    }

    public void pause() {
        process.pause();
    }

    public void resume() {
        process.resume();
    }

    @Override
    public void close() {
        process.close();
    }

    /** How to start one member. */
    public static final class Builder {
        private final Path parentDir;
        private final List<String> args = new ArrayList<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private List<String> jvmOptions = TEST_JVM_OPTIONS;

        private Builder(Path parentDir) {
            this.parentDir = parentDir;
        }

        /** Command-line arguments, appended in order. */
        public Builder args(String... more) {
            args.addAll(List.of(more));
            return this;
        }

        public Builder args(List<String> more) {
            args.addAll(more);
            return this;
        }

        /** An environment variable for the child (say {@code ETCD_NAME}). */
        public Builder env(String name, String value) {
            environment.put(name, value);
            return this;
        }

        /** JVM options in place of {@link #TEST_JVM_OPTIONS}. */
        public Builder jvmOptions(List<String> options) {
            jvmOptions = List.copyOf(options);
            return this;
        }

        public StoreNodeProcess start() {
            Path jar = jar();
            Path directory;
            try {
                directory = Files.createTempDirectory(parentDir, "store-node-");
            } catch (IOException e) {
                throw new UncheckedIOException("could not create a directory under " + parentDir, e);
            }
            List<String> options = new ArrayList<>(List.of("--enable-native-access=ALL-UNNAMED"));
            options.addAll(jvmOptions);
            List<String> mainAndArgs = new ArrayList<>(List.of("-jar", jar.toAbsolutePath().toString()));
            mainAndArgs.addAll(args);
            List<String> drop = new ArrayList<>(ChildProcess.JVM_OPTION_VARIABLES);
            drop.add("ETCD_");
            ChildProcess process = ChildProcess.start(ChildProcess.java(options, mainAndArgs), environment, drop,
                    directory.resolve("store-node.log"));
            return new StoreNodeProcess(directory, process);
        }
    }
}
