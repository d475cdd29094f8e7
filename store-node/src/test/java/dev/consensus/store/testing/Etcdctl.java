package dev.consensus.store.testing;

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
 * Runs the real {@code etcdctl} against one endpoint and captures what it prints: the
 * independent client that shows our wire format is etcd's.
 *
 * <p>Each run is bounded: it gets etcd's own {@code --command-timeout}, and the process is
 * stopped by its PID if it outlives {@link #PROCESS_TIMEOUT}. The developer's {@code ETCDCTL_*}
 * settings are not inherited, so a run depends only on its arguments.
 */
public final class Etcdctl {

    /** How long one etcdctl run may take, end to end. */
    public static final Duration PROCESS_TIMEOUT = Duration.ofSeconds(20);

    private static final String COMMAND_TIMEOUT = "--command-timeout=10s";
    private static final Duration STOP_GRACE = Duration.ofSeconds(2);

    private final Path binary;
    private final String endpoint;
    private final Path workDir;

    /**
     * @param binary the etcdctl program
     * @param endpoint the client URL, e.g. {@code http://127.0.0.1:2379}
     * @param workDir an existing directory for the captured output (files are removed after each run)
     */
    public Etcdctl(Path binary, String endpoint, Path workDir) {
        this.binary = binary;
        this.endpoint = endpoint;
        this.workDir = workDir;
    }

    /** Runs {@code etcdctl --endpoints=<endpoint> <args>} and returns its exit code and output. */
    public EtcdctlResult run(String... args) {
        return run(null, null, args);
    }

    /** As {@link #run}, with {@code input} on etcdctl's standard input (for {@code txn}). */
    public EtcdctlResult runWithInput(String input, String... args) {
        return run(input, null, args);
    }

    /**
     * Runs a command that does not end by itself ({@code watch}, {@code lease keep-alive}) for
     * {@code duration}, then stops it, and returns what it printed; the exit code is then -1.
     */
    public EtcdctlResult runFor(Duration duration, String... args) {
        return run(null, duration, args);
    }

    private EtcdctlResult run(String input, Duration stopAfter, String... args) {
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--endpoints=" + endpoint, COMMAND_TIMEOUT));
        command.addAll(List.of(args));
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile(workDir, "etcdctl-", ".out");
            err = Files.createTempFile(workDir, "etcdctl-", ".err");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            builder.environment().keySet().removeIf(name -> name.startsWith("ETCDCTL_"));
            builder.environment().put("ETCDCTL_API", "3");
            Path in = null;
            if (input != null) {
                in = Files.createTempFile(workDir, "etcdctl-", ".in");
                Files.writeString(in, input, StandardCharsets.UTF_8);
                builder.redirectInput(in.toFile());
            }
            Process process = builder.start();
            int exitCode;
            if (stopAfter != null) {
                // Runs until killed (watch, keep-alive): let it run for the duration, then stop it.
                process.waitFor(stopAfter.toMillis(), TimeUnit.MILLISECONDS);
                ProcessTermination.stop(process, STOP_GRACE);
                exitCode = -1;
            } else {
                exitCode = awaitExit(process, command);
            }
            deleteQuietly(in);
            return new EtcdctlResult(exitCode, Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command, e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    private static int awaitExit(Process process, List<String> command) {
        try {
            if (process.waitFor(PROCESS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                return process.exitValue();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ProcessTermination.stop(process, STOP_GRACE);
        throw new IllegalStateException(command + " did not finish within " + PROCESS_TIMEOUT);
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // A leftover capture file lives in the test's own temporary directory.
        }
    }
}
