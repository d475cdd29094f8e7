package dev.consensus.store.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One program a test started as a real process, with its output in a log file, controlled by
 * its PID.
 *
 * <p>Why: crash and recovery tests need what only a real process gives (SIGKILL mid-write, a
 * member frozen by SIGSTOP while the others go on), and a failing test needs the process's own
 * account of what happened. Promises: stdout and stderr go, merged, to the log file the caller
 * names; every wait is bounded and fails with the end of that log; signals go to this PID only
 * (through {@code kill}); {@link #close} ends the process (SIGCONT, then SIGTERM, then SIGKILL
 * after a grace period) and a JVM shutdown hook does the same if the test run dies first.
 */
public final class ChildProcess implements AutoCloseable {

    /**
     * Variables that change what any {@code java} started with them does or prints ("Picked up
     * JAVA_TOOL_OPTIONS ..."); process tests drop the developer's own and set their own.
     */
    public static final List<String> JVM_OPTION_VARIABLES = List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS",
            "_JAVA_OPTIONS");

    /** How long a process may take to exit after SIGTERM before {@link #close} sends SIGKILL. */
    public static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private static final Duration CONNECT_TIMEOUT = Duration.ofMillis(250);
    private static final Duration POLL = Duration.ofMillis(50);
    private static final Duration KILL_COMMAND_TIMEOUT = Duration.ofSeconds(10);
    private static final int LOG_TAIL_LINES = 40;

    /** The signals tests send. */
    public enum Signal {
        TERM, KILL, STOP, CONT
    }

    private final String name;
    private final Process process;
    private final Path logFile;
    private final Thread reaper;
    private boolean closed;

    private ChildProcess(String name, Process process, Path logFile, Thread reaper) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
        this.reaper = reaper;
    }

    /**
     * Starts {@code command} with its output going to {@code logFile}.
     *
     * @param environment variables to set in the child, over the test JVM's own
     * @param dropPrefixes inherited variables whose names start with one of these are removed
     *     first (a developer's {@code ETCD_*} would silently change a member's flags), before
     *     {@code environment} is applied
     */
    public static ChildProcess start(List<String> command, Map<String, String> environment, List<String> dropPrefixes,
            Path logFile) {
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(logFile.toFile());
        builder.environment().keySet().removeIf(key -> dropPrefixes.stream().anyMatch(key::startsWith));
        builder.environment().putAll(environment);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + command, e);
        }
        String name = Path.of(command.get(0)).getFileName() + "[" + process.pid() + "]";
        Thread reaper = new Thread(process::destroyForcibly, "reaper-" + name);
        Runtime.getRuntime().addShutdownHook(reaper);
        return new ChildProcess(name, process, logFile, reaper);
    }

    public long pid() {
        return process.pid();
    }

    public Path logFile() {
        return logFile;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The whole log so far. */
    public String log() {
        try {
            return Files.readString(logFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(could not read " + logFile + ": " + e + ")";
        }
    }

    /** The last lines of the log, for failure messages. */
    public String logTail() {
        List<String> lines = log().lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
    }

    /** Sends {@code signal} to this process's PID. */
    public void signal(Signal signal) {
        List<String> kill = List.of("kill", "-s", signal.name(), Long.toString(pid()));
        try {
            Process killer = new ProcessBuilder(kill).redirectErrorStream(true).start();
            if (!killer.waitFor(KILL_COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                killer.destroyForcibly();
                throw new IllegalStateException(String.join(" ", kill) + " did not finish");
            }
            if (killer.exitValue() != 0 && process.isAlive()) {
                String output = new String(killer.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                throw new IllegalStateException(String.join(" ", kill) + " failed: " + output.strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + kill, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling " + name, e);
        }
    }

    public void kill() {
        signal(Signal.KILL);
    }

    public void terminate() {
        signal(Signal.TERM);
    }

    public void pause() {
        signal(Signal.STOP);
    }

    public void resume() {
        signal(Signal.CONT);
    }

    /**
     * The process's state letter from {@code /proc/<pid>/stat} ({@code R} running, {@code S}
     * sleeping, {@code T} stopped, {@code Z} zombie ...), or {@code 'X'} once it is gone.
     */
    public char state() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid()), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 1).trim().charAt(0);
        } catch (IOException gone) {
            return 'X';
        }
    }

    /** Waits until the process is stopped ({@code stopped} true) or running again (false). */
    public void awaitStopped(boolean stopped, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while ((state() == 'T') != stopped) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException(name + " is in state " + state() + ", not "
                        + (stopped ? "stopped" : "running") + ", after " + timeout);
            }
            awaitExitFor(POLL);
        }
    }

    /**
     * Waits until something accepts TCP connections on {@code host:port}.
     *
     * @throws IllegalStateException if the process exits first, or after {@code timeout}, with
     *     the end of its log
     */
    public void awaitPort(String host, int port, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        IOException last = null;
        while (System.nanoTime() - deadline < 0) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " before " + host + ":"
                        + port + " answered; the end of " + logFile + ":\n" + logTail());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), (int) CONNECT_TIMEOUT.toMillis());
                return;
            } catch (IOException e) {
                last = e;
            }
            // A refused connection returns at once; wait on the process (not a sleep: an exit
            // ends the wait early and is reported above) before trying again.
            awaitExitFor(POLL);
        }
        throw new IllegalStateException(host + ":" + port + " did not answer within " + timeout + " (last error: "
                + last + "); the end of " + logFile + ":\n" + logTail());
    }

    /**
     * Waits until the log contains {@code text} (say, a line the program prints once ready).
     *
     * @throws IllegalStateException if the process exits first, or after {@code timeout}
     */
    public void awaitLog(String text, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!log().contains(text)) {
            if (!process.isAlive() && !log().contains(text)) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " before it logged '"
                        + text + "'; the end of " + logFile + ":\n" + logTail());
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException(name + " did not log '" + text + "' within " + timeout
                        + "; the end of " + logFile + ":\n" + logTail());
            }
            awaitExitFor(POLL);
        }
    }

    /** Waits for the process to exit and returns its exit status (128 + n after signal n). */
    public int awaitExit(Duration timeout) {
        if (!awaitExitFor(timeout)) {
            throw new IllegalStateException(name + " did not exit within " + timeout + "; the end of " + logFile
                    + ":\n" + logTail());
        }
        return process.exitValue();
    }

    private boolean awaitExitFor(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + name, e);
        }
    }

    /** Ends the process if it still runs; safe to call twice. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (process.isAlive() && state() == 'T') {
            signal(Signal.CONT); // a stopped process would hold SIGTERM until continued
        }
        ProcessTermination.stop(process, STOP_GRACE);
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is already exiting; the hook has nothing left to stop.
        }
    }

    @Override
    public String toString() {
        return name;
    }

    /** The command line of a Java program on this test JVM's own {@code java}. */
    public static List<String> java(List<String> jvmOptions, List<String> mainAndArgs) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(mainAndArgs);
        return command;
    }
}
