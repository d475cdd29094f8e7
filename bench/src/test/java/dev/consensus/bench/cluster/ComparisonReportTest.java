package dev.consensus.bench.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.consensus.bench.load.LatencySummary;
import dev.consensus.bench.load.LoadResult;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ComparisonReportTest {

    private static final long MS = 1_000_000;
    private static final BenchPlan PLAN = new BenchPlan(Duration.ofSeconds(1), Duration.ZERO, Duration.ZERO, List.of(16), 4, 2, 256,
            100, 10, Duration.ofSeconds(1));
    private static final MachineInfo MACHINE = new MachineInfo(Instant.EPOCH, 2, "a CPU", "1.00 1.00 1.00", "25");

    @Test
    void everyMeasureHasBothSidesAndTheirRatio() {
        SideResult etcd = side("etcd", 1000, 2 * MS, new long[] {100 * 1024, 110 * 1024, 120 * 1024}, 1000);
        SideResult other = side("store-node", 1500, 4 * MS, new long[] {200 * 1024, 220 * 1024, 240 * 1024}, 500);
        String report = new ComparisonReport(config(Optional.of(etcd.label())), MACHINE, MACHINE)
                .markdown(etcd, Optional.of(other));
        assertThat(report).startsWith("# Cluster benchmark (etcd API)\n")
                .contains("| measure | etcd | store-node | store-node / etcd |")
                .contains("| put, 16 clients: ops/s | 1,000 | 1,500 | 1.50 |")
                .contains("| put, 16 clients: p50 / p99 / p99.9 ms | 2.00 / 2.00 / 2.00 | 4.00 / 4.00 / 4.00 | "
                        + "2.00 / 2.00 / 2.00 |")
                .contains("| watch, 2 watchers: delivery p50 / p99 / p99.9 ms |")
                .contains("| failover window, ms (median; min–max) | 1000 (1000–1000 of 1) | 500 (500–500 of 1) | 0.50 |")
                .contains("| RSS MiB per member, peak during loads | 100 / 110 / 120 | 200 / 220 / 240 | 2.00 |")
                .contains("| errors, all loads | 1 | 1 |")
                .contains("## etcd (3.4.23)", "## store-node (3.4.23)")
                .contains("UNAVAILABLE 1 (no leader \\| gone)")
                .contains("- failover round 1: killed m1; put succeeded after 1000 ms (3 attempts); new leader m2");
        assertThat(report).doesNotContain("watch, 2 watchers: ops/s");
    }

    @Test
    void aSkippedSideIsShownAsDashesWithTheReason() {
        SideResult etcd = side("etcd", 1000, 2 * MS, new long[] {1024, 1024, 1024}, 1000);
        String report = new ComparisonReport(config(Optional.empty()), MACHINE, MACHINE).markdown(etcd, Optional.empty());
        assertThat(report).contains("- other side skipped: the jar is missing")
                .contains("| put, 16 clients: ops/s | 1,000 | — | — |")
                .contains("| measure | etcd | other | other / etcd |");
    }

    @Test
    void aSideThatStoppedEarlySaysWhyAndShowsWhatItHas() {
        SideResult etcd = side("etcd", 1000, 2 * MS, new long[] {1024, 1024, 1024}, 1000);
        SideResult failed = new SideResult("store-node", "(not started)", List.of(), List.of(),
                new long[] {-1, -1, -1}, new long[] {-1, -1, -1}, List.of(),
                Optional.of("m1 exited before the cluster was ready"));
        String report = new ComparisonReport(config(Optional.of("store-node")), MACHINE, MACHINE)
                .markdown(etcd, Optional.of(failed));
        assertThat(report).contains("**Stopped early:** m1 exited before the cluster was ready")
                .contains("| put, 16 clients: ops/s | 1,000 | — | — |")
                .contains("| RSS MiB per member, peak during loads | 1 / 1 / 1 | — | — |");
    }

    @Test
    void roundsCombineIntoTheMedianRunPerLoadAndPoolTheRest() {
        SideResult slow = side("etcd", 100, 9 * MS, new long[] {10, 50, 10}, 1000);
        SideResult fast = side("etcd", 300, 1 * MS, new long[] {20, 20, 20}, 2000);
        SideResult middle = side("etcd", 200, 5 * MS, new long[] {30, 10, 10}, 3000);
        SideResult combined = SideResult.combine(List.of(slow, fast, middle));
        assertThat(combined.loads()).hasSize(PLAN.loads(3).size()).allSatisfy(load -> {
            assertThat(load.result().ops()).isEqualTo(200);
            assertThat(load.result().latency().p50()).isEqualTo(5 * MS);
        });
        assertThat(combined.failover()).extracting(round -> round.window().toMillis()).containsExactly(1000L, 2000L,
                3000L);
        assertThat(combined.rssPeakKib()).containsExactly(30, 50, 20);
        assertThat(SideResult.combine(List.of(slow))).isSameAs(slow);
    }

    @Test
    void millisecondsKeepThreeSignificantDigits() {
        assertThat(ComparisonReport.ms(123_456)).isEqualTo("0.12");
        assertThat(ComparisonReport.ms(1_234_567)).isEqualTo("1.23");
        assertThat(ComparisonReport.ms(12_345_678)).isEqualTo("12.3");
        assertThat(ComparisonReport.ms(123_456_789)).isEqualTo("123");
    }

    private static BenchConfig config(Optional<String> otherLabel) {
        Optional<ServerCommand> other = otherLabel.map(l -> new ServerCommand("store-node", List.of("x"), List.of()));
        return new BenchConfig(new ServerCommand("etcd", List.of("/usr/bin/etcd"), List.of()), other,
                other.isEmpty() ? "the jar is missing" : "", 3, LocalCluster.Timing.ETCD_DEFAULT,
                Duration.ofSeconds(10), PLAN, 1, 1, Duration.ofSeconds(5), Duration.ofMillis(20), Duration.ofMillis(100),
                Duration.ofMillis(250), Path.of("/tmp/none"), false);
    }

    private static SideResult side(String label, long opsPerSecond, long latencyNanos, long[] rssKib, long failoverMs) {
        List<SideResult.Labeled> loads = PLAN.loads(3).stream().map(planned -> new SideResult.Labeled(planned.label(),
                new LoadResult(planned.spec(), opsPerSecond, Duration.ofSeconds(1),
                        new LatencySummary(opsPerSecond, latencyNanos, latencyNanos, latencyNanos, latencyNanos,
                                latencyNanos, latencyNanos),
                        planned.label().startsWith("put") ? new TreeMap<>(Map.of("UNAVAILABLE", 1L)) : new TreeMap<>(),
                        planned.label().startsWith("put") ? new TreeMap<>(Map.of("UNAVAILABLE", "no leader | gone"))
                                : new TreeMap<>(),
                        new LinkedHashMap<>()))).toList();
        return new SideResult(label, "3.4.23", List.of("/usr/bin/etcd", "--name=m1"), loads, rssKib, rssKib,
                List.of(new FailoverRound(true, Duration.ofMillis(failoverMs), "m1", "m2", 3, "")), Optional.empty());
    }
}
