package dev.consensus.store.metrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The {@code process_*} metrics every Prometheus exporter has, read from {@code /proc/self}
 * at scrape time: resident and virtual memory, CPU seconds, start time, open and maximum file
 * descriptors.
 *
 * <p>Why: dashboards built for etcd chart these next to etcd's own metrics (memory growth and
 * file descriptor exhaustion are classic member failures). Promises: registered only where
 * {@code /proc/self/stat} is readable (Linux); a reading that fails at scrape yields NaN.
 */
public final class ProcessMetrics {

    /**
     * Clock ticks per second in {@code /proc} times. Linux fixes USER_HZ at 100 for user space
     * on every architecture it exports {@code /proc} times to, whatever the kernel's own HZ.
     */
    static final double USER_HZ = 100;

    private final Path proc;

    ProcessMetrics(Path proc) {
        this.proc = proc;
    }

    /** Adds the process metrics of this JVM to {@code registry}; does nothing off Linux. */
    public static void register(MetricRegistry registry) {
        new ProcessMetrics(Path.of("/proc")).registerInto(registry);
    }

    void registerInto(MetricRegistry registry) {
        if (!Files.isReadable(proc.resolve("self/stat"))) {
            return;
        }
        registry.gauge("process_resident_memory_bytes", "Memory the process holds in RAM (its resident set), in bytes.",
                () -> statusKilobytes("VmRSS:") * 1024);
        registry.gauge("process_virtual_memory_bytes", "Virtual address space the process has mapped, in bytes.",
                () -> statusKilobytes("VmSize:") * 1024);
        registry.gauge("process_start_time_seconds", "When the process started, in seconds since the Unix epoch.",
                this::startTimeSeconds);
        registry.counter("process_cpu_seconds_total", "CPU time the process has used, user plus system, in seconds.",
                () -> {
                    ProcStat stat = ProcStat.parse(read("self/stat"));
                    return (stat.utimeTicks() + stat.stimeTicks()) / USER_HZ;
                });
        registry.gauge("process_open_fds", "File descriptors the process has open.", this::openFds);
        registry.gauge("process_max_fds", "The process's soft limit on open file descriptors.", this::maxFds);
    }

    double startTimeSeconds() {
        long bootTime = read("stat").lines()
                .filter(line -> line.startsWith("btime "))
                .mapToLong(line -> Long.parseLong(line.substring("btime ".length()).trim()))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no btime in /proc/stat"));
        return bootTime + ProcStat.parse(read("self/stat")).startTimeTicks() / USER_HZ;
    }

    double statusKilobytes(String field) {
        return read("self/status").lines()
                .filter(line -> line.startsWith(field))
                .mapToDouble(line -> Double.parseDouble(line.substring(field.length()).trim().split("\\s+")[0]))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + field + " in /proc/self/status"));
    }

    double openFds() {
        try (Stream<Path> fds = Files.list(proc.resolve("self/fd"))) {
            return fds.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    double maxFds() {
        return read("self/limits").lines()
                .filter(line -> line.startsWith("Max open files"))
                .map(line -> line.substring("Max open files".length()).trim().split("\\s+")[0])
                .mapToDouble(soft -> "unlimited".equals(soft) ? Double.POSITIVE_INFINITY : Double.parseDouble(soft))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no 'Max open files' in /proc/self/limits"));
    }

    private String read(String file) {
        try {
            return Files.readString(proc.resolve(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The fields of {@code /proc/<pid>/stat} that the metrics use, in clock ticks.
     *
     * <p>The second field is the command name in parentheses, which may itself hold spaces and
     * parentheses, so the numbered fields are counted from the last closing parenthesis.
     */
    record ProcStat(char state, long utimeTicks, long stimeTicks, long startTimeTicks) {

        static ProcStat parse(String text) {
            int end = text.lastIndexOf(')');
            if (end < 0) {
                throw new IllegalArgumentException("not a /proc stat line: " + text);
            }
            // After ") " come fields 3 (state), 4, 5 ... as documented in proc(5).
            String[] f = text.substring(end + 1).trim().split("\\s+");
            return new ProcStat(f[0].charAt(0), Long.parseLong(f[14 - 3]), Long.parseLong(f[15 - 3]),
                    Long.parseLong(f[22 - 3]));
        }
    }
}
