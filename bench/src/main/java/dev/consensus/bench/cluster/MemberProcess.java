package dev.consensus.bench.cluster;

import dev.consensus.bench.load.Endpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * One member's process: its command line, its log file (stdout and stderr, appended across
 * restarts), and the running process, which is only ever signalled by its own PID.
 */
final class MemberProcess {

    private static final int LOG_TAIL_LINES = 30;

    private final String name;
    private final Endpoint client;
    private final List<String> command;
    private final Path log;
    private Process process;
    private volatile boolean killedOnPurpose;

    MemberProcess(String name, Endpoint client, List<String> command, Path log) {
        this.name = name;
        this.client = client;
        this.command = List.copyOf(command);
        this.log = log;
    }

    /** Starts the process (again, after a kill: same command, same data directory). */
    void start() {
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(Redirect.appendTo(log.toFile()));
        // A developer's ETCD_* variables would override, or with etcd clash with, our flags.
        builder.environment().keySet().removeIf(variable -> variable.startsWith("ETCD_"));
        killedOnPurpose = false;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name + ": " + String.join(" ", command), e);
        }
        ChildProcesses.started(process);
    }

    String name() {
        return name;
    }

    Endpoint client() {
        return client;
    }

    List<String> command() {
        return command;
    }

    Path log() {
        return log;
    }

    /** The PID of the process last started, or -1 before the first start. */
    long pid() {
        return process != null ? process.pid() : -1;
    }

    /** Whether the process was ended by {@link #kill} or {@link #stop} rather than by itself. */
    boolean wasKilledOnPurpose() {
        return killedOnPurpose;
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL, as a crash: no shutdown work, no goodbye to the peers. Waits, bounded, for the exit. */
    void kill(Duration wait) {
        killedOnPurpose = true;
        if (alive()) {
            process.destroyForcibly();
            awaitExit(wait);
        }
    }

    /** SIGTERM, without waiting. */
    void terminate() {
        killedOnPurpose = true;
        if (alive()) {
            process.destroy();
        }
    }

    /** SIGTERM, then SIGKILL if it has not exited within {@code grace}. */
    void stop(Duration grace) {
        if (!alive()) {
            return;
        }
        terminate();
        if (!awaitExit(grace)) {
            kill(grace);
        }
    }

    private boolean awaitExit(Duration wait) {
        try {
            return process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return false;
        }
    }

    /** Resident memory from /proc/PID/status, in KiB; empty once the process is gone. */
    OptionalLong rssKib() {
        return alive() ? ProcStatus.vmRssKib(process.pid()) : OptionalLong.empty();
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(could not read " + log + ": " + e + ")";
        }
    }
}
