package dev.consensus.bench.cluster;

import dev.consensus.bench.load.Durations;
import dev.consensus.bench.load.LoadResult;
import dev.consensus.bench.load.LoadRunner;
import dev.consensus.bench.load.LatencySummary;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Runs the plan on etcd, then on the other server, one cluster at a time (the machine is
 * small; two clusters at once would measure each other), and returns the report.
 */
public final class ClusterBench {

    private final BenchConfig config;
    private final PrintStream progress;

    public ClusterBench(BenchConfig config, PrintStream progress) {
        this.config = config;
        this.progress = progress;
    }

    /** Runs both sides, {@code rounds} times; returns the markdown report. */
    public String run() {
        MachineInfo before = MachineInfo.now();
        List<SideResult> etcdRounds = new ArrayList<>();
        List<SideResult> otherRounds = new ArrayList<>();
        for (int round = 1; round <= config.rounds(); round++) {
            Path dir = config.workDir().resolve("round-" + round);
            // The order flips every round (etcd first, then the other first, ...): the side that runs
            // second meets a client JVM already compiled and a machine in another mood, and over
            // an even number of rounds neither side gets that advantage every time.
            if (round % 2 == 1) {
                etcdRounds.add(runSide(config.etcd(), dir));
                config.other().ifPresent(other -> otherRounds.add(runSide(other, dir)));
            } else {
                config.other().ifPresent(other -> otherRounds.add(runSide(other, dir)));
                etcdRounds.add(runSide(config.etcd(), dir));
            }
        }
        MachineInfo after = MachineInfo.now();
        SideResult etcd = SideResult.combine(etcdRounds);
        Optional<SideResult> other = otherRounds.isEmpty() ? Optional.empty() : Optional.of(SideResult.combine(otherRounds));
        boolean failed = etcd.failure().isPresent() || other.flatMap(SideResult::failure).isPresent();
        if (config.keepData() || failed) {
            progress.println("data and logs kept in " + config.workDir());
        } else {
            deleteTree(config.workDir());
        }
        return new ComparisonReport(config, before, after).markdown(etcd, other);
    }

    SideResult runSide(ServerCommand server, Path dir) {
        progress.println("== " + server.label() + ": starting " + config.members() + " members: "
                + String.join(" ", server.program()));
        List<SideResult.Labeled> loads = new ArrayList<>();
        long[] peak = unknown();
        long[] after = unknown();
        List<FailoverRound> failover = List.of();
        String version = "(not started)";
        List<String> command = List.of();
        Optional<String> failure = Optional.empty();
        try (LocalCluster cluster = LocalCluster.start(server, config.members(), dir, config.timing(),
                config.startTimeout())) {
            version = cluster.version();
            command = cluster.command(0);
            try (RssSampler sampler = RssSampler.start(cluster.members(), config.rssInterval())) {
                List<PlannedLoad> settling = config.plan().settleLoads(config.members());
                if (!settling.isEmpty()) {
                    progress.println(server.label() + ": settling, every load unrecorded for "
                            + Durations.format(config.plan().settle()) + " in all ...");
                }
                for (PlannedLoad planned : settling) {
                    LoadRunner.run(planned.spec().withEndpoints(cluster.endpoints()));
                }
                for (PlannedLoad planned : config.plan().loads(config.members())) {
                    progress.println(server.label() + ": " + planned.label() + " ...");
                    LoadResult result = LoadRunner.run(planned.spec().withEndpoints(cluster.endpoints()));
                    loads.add(new SideResult.Labeled(planned.label(), result));
                    progress.println("  " + summary(result));
                }
                peak = sampler.peaksKib();
            }
            after = RssSampler.sampleNow(cluster.members());
            progress.println(server.label() + ": failover, " + config.failoverRounds() + " round(s) ...");
            failover = new FailoverProbe(cluster, config.failoverTimeout(), config.probeInterval(), config.probeTimeout())
                    .run(config.failoverRounds(), config.startTimeout());
            failover.forEach(round -> progress.println("  " + round));
        } catch (RuntimeException e) {
            failure = Optional.of(String.valueOf(e.getMessage()));
            progress.println(server.label() + " failed: " + e.getMessage());
        }
        return new SideResult(server.label(), version, command, loads, peak, after, failover, failure);
    }

    private long[] unknown() {
        long[] values = new long[config.members()];
        Arrays.fill(values, RssSampler.NONE);
        return values;
    }

    private static String summary(LoadResult result) {
        LatencySummary latency = result.latency();
        return String.format(Locale.ROOT, "%.0f ops/s, p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, %d errors",
                result.opsPerSecond(), LatencySummary.millis(latency.p50()), LatencySummary.millis(latency.p99()),
                LatencySummary.millis(latency.p999()), result.errorCount());
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + root, e);
        }
    }
}
