package dev.consensus.store.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The process metrics agree with what the JDK says about this same process. */
class ProcessMetricsTest {

    @Test
    void statFieldsAreCountedFromTheLastParenthesis() {
        // A command name may hold spaces and parentheses; the fields after it are what counts.
        String line = "4242 (java (my) app) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 75 0 0 20 0 30 0 123456"
                + " 5000000000 20000 18446744073709551615";
        ProcessMetrics.ProcStat stat = ProcessMetrics.ProcStat.parse(line);
        assertThat(stat.state()).isEqualTo('S');
        assertThat(stat.utimeTicks()).isEqualTo(250);
        assertThat(stat.stimeTicks()).isEqualTo(75);
        assertThat(stat.startTimeTicks()).isEqualTo(123456);
    }

    @Test
    void readingsFromProcMatchTheJdksViewOfThisProcess() {
        MetricRegistry registry = new MetricRegistry();
        ProcessMetrics.register(registry);
        Exposition parsed = Exposition.parse(registry.scrape());

        Instant started = ProcessHandle.current().info().startInstant().orElseThrow();
        // Both come from the same kernel fields; they differ only by rounding of clock ticks.
        assertThat(parsed.value("process_start_time_seconds"))
                .isCloseTo(started.getEpochSecond() + started.getNano() / 1e9, within(1.0));
        assertThat(parsed.value("process_resident_memory_bytes")).isGreaterThan(1 << 20);
        assertThat(parsed.value("process_virtual_memory_bytes"))
                .isGreaterThanOrEqualTo(parsed.value("process_resident_memory_bytes"));
        assertThat(parsed.value("process_open_fds")).isGreaterThan(2);
        assertThat(parsed.value("process_max_fds")).isGreaterThanOrEqualTo(parsed.value("process_open_fds"));
        assertThat(parsed.value("process_cpu_seconds_total")).isGreaterThan(0);
    }

    @Test
    void withoutProcNothingIsRegistered() {
        MetricRegistry registry = new MetricRegistry();
        new ProcessMetrics(Path.of("/nonexistent-proc")).registerInto(registry);
        assertThat(registry.scrape()).isEmpty();
    }
}
