package dev.consensus.bench.cluster;

import dev.consensus.bench.load.Durations;
import dev.consensus.bench.load.LatencySummary;
import dev.consensus.bench.load.LoadResult;
import dev.consensus.bench.load.Workload;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The markdown report: one table of every measure on both sides with the other / etcd ratio,
 * then each side's full figures (errors included) and the commands, so a reader can rerun it.
 */
final class ComparisonReport {

    private static final String NONE = "—";

    private final BenchConfig config;
    private final MachineInfo before;
    private final MachineInfo after;

    ComparisonReport(BenchConfig config, MachineInfo before, MachineInfo after) {
        this.config = config;
        this.before = before;
        this.after = after;
    }

    String markdown(SideResult etcd, Optional<SideResult> other) {
        StringBuilder out = new StringBuilder();
        String otherLabel = other.map(SideResult::label).orElse(config.other().map(ServerCommand::label).orElse("other"));
        out.append("# Cluster benchmark (etcd API)\n\n");
        header(out, etcd, other);
        out.append("| measure | ").append(etcd.label()).append(" | ").append(otherLabel).append(" | ")
                .append(otherLabel).append(" / ").append(etcd.label()).append(" |\n");
        out.append("|---|---:|---:|---:|\n");
        for (PlannedLoad planned : config.plan().loads(config.members())) {
            loadRows(out, planned, etcd, other);
        }
        row(out, "failover window, ms (median; min–max)", failover(etcd), other.map(ComparisonReport::failover),
                ratio(median(etcd), other.map(ComparisonReport::median)));
        row(out, "RSS MiB per member, peak during loads", mib(etcd.rssPeakKib()), other.map(s -> mib(s.rssPeakKib())),
                ratio(max(etcd.rssPeakKib()), other.map(s -> max(s.rssPeakKib()))));
        row(out, "RSS MiB per member, after loads", mib(etcd.rssAfterKib()), other.map(s -> mib(s.rssAfterKib())),
                ratio(max(etcd.rssAfterKib()), other.map(s -> max(s.rssAfterKib()))));
        row(out, "errors, all loads", Long.toString(errors(etcd)), other.map(s -> Long.toString(errors(s))), NONE);
        out.append('\n');
        details(out, etcd);
        other.ifPresent(side -> details(out, side));
        return out.toString();
    }

    private void header(StringBuilder out, SideResult etcd, Optional<SideResult> other) {
        BenchPlan plan = config.plan();
        out.append(String.format(Locale.ROOT, "Run %s on %d CPUs (%s), JVM %s; load average %s before, %s after.%n%n",
                before.at(), before.cpus(), before.cpuModel(), before.jvm(), before.loadAverage(), after.loadAverage()));
        out.append(String.format(Locale.ROOT, "%d members on 127.0.0.1, each a separate process, "
                + "`--heartbeat-interval=%d --election-timeout=%d`; the load generator runs in the same JVM as this "
                + "runner, with one connection per member and requests spread over them (followers forward writes "
                + "to the leader). First every load once, unrecorded, %s in all (settling); then each load: %s measured after "
                + "a %s warm-up; %d-byte values; puts and txn CAS on %d "
                + "random keys, gets on %d keys written beforehand; watch: %d watchers, one writer with one put in "
                + "flight. Failover: SIGKILL of the leader (found with `Status`), then a put started every %s "
                + "through the other members (%s deadline each); the window ends at the first success; %d round(s), "
                + "the killed member restarted between rounds. RSS: VmRSS from /proc/PID/status, sampled every %s during the loads.%s%n%n",
                config.members(), config.timing().heartbeatMillis(), config.timing().electionMillis(),
                Durations.format(plan.settle()), Durations.format(plan.duration()), Durations.format(plan.warmup()),
                plan.valueSize(), plan.keySpace(),
                plan.rangeKeySpace(), plan.watchers(), Durations.format(config.probeInterval()),
                Durations.format(config.probeTimeout()), config.failoverRounds(),
                Durations.format(config.rssInterval()), rounds()));
        out.append("- ").append(etcd.label()).append(": ").append(etcd.version()).append('\n');
        if (other.isPresent()) {
            out.append("- ").append(other.get().label()).append(": ").append(other.get().version()).append('\n');
        } else {
            out.append("- other side skipped: ").append(config.otherSkipped()).append('\n');
        }
        out.append("\nRatios are other / etcd: above 1 is more throughput, or more latency, time or memory.\n\n");
    }

    private String rounds() {
        if (config.rounds() == 1) {
            return "";
        }
        return String.format(Locale.ROOT, " Each side ran everything %d times, the sides taking turns to go first; "
                + "each row shows, per side, the run with the median throughput, the failover line pools every "
                + "round, and memory is the highest seen.", config.rounds());
    }

    private void loadRows(StringBuilder out, PlannedLoad planned, SideResult etcd, Optional<SideResult> other) {
        Optional<LoadResult> mine = etcd.result(planned.label());
        Optional<LoadResult> theirs = other.flatMap(side -> side.result(planned.label()));
        boolean watch = planned.spec().workload() == Workload.WATCH_LATENCY;
        if (!watch) {
            row(out, planned.label() + ": ops/s", mine.map(r -> count(r.opsPerSecond())).orElse(NONE),
                    other.map(side -> theirs.map(r -> count(r.opsPerSecond())).orElse(NONE)),
                    ratios(mine, theirs, List.of(LoadResult::opsPerSecond)));
        }
        List<Function<LoadResult, Double>> tail = List.of(
                r -> (double) r.latency().p50(), r -> (double) r.latency().p99(), r -> (double) r.latency().p999());
        row(out, planned.label() + (watch ? ": delivery" : ":") + " p50 / p99 / p99.9 ms",
                mine.map(ComparisonReport::percentiles).orElse(NONE),
                other.map(side -> theirs.map(ComparisonReport::percentiles).orElse(NONE)),
                ratios(mine, theirs, tail));
    }

    private static void row(StringBuilder out, String measure, String etcd, Optional<String> other, String ratio) {
        out.append("| ").append(measure).append(" | ").append(etcd).append(" | ").append(other.orElse(NONE))
                .append(" | ").append(ratio).append(" |\n");
    }

    private static String ratios(Optional<LoadResult> mine, Optional<LoadResult> theirs,
            List<Function<LoadResult, Double>> measures) {
        if (mine.isEmpty() || theirs.isEmpty()) {
            return NONE;
        }
        return measures.stream().map(m -> ratio(m.apply(mine.get()), Optional.of(m.apply(theirs.get()))))
                .collect(Collectors.joining(" / "));
    }

    private static String ratio(double mine, Optional<Double> theirs) {
        if (theirs.isEmpty() || mine <= 0 || theirs.get() < 0) {
            return NONE;
        }
        return String.format(Locale.ROOT, "%.2f", theirs.get() / mine);
    }

    private static String percentiles(LoadResult result) {
        LatencySummary latency = result.latency();
        return ms(latency.p50()) + " / " + ms(latency.p99()) + " / " + ms(latency.p999());
    }

    static String ms(double nanos) {
        double millis = LatencySummary.millis(nanos);
        if (millis >= 100) {
            return String.format(Locale.ROOT, "%.0f", millis);
        }
        if (millis >= 10) {
            return String.format(Locale.ROOT, "%.1f", millis);
        }
        return String.format(Locale.ROOT, "%.2f", millis);
    }

    static String count(double value) {
        return String.format(Locale.ROOT, "%,.0f", value);
    }

    private static String failover(SideResult side) {
        List<Long> windows = recoveredWindows(side);
        if (windows.isEmpty()) {
            return side.failover().isEmpty() ? NONE : "no recovery";
        }
        String recovered = windows.size() == side.failover().size() ? ""
                : ", " + (side.failover().size() - windows.size()) + " not recovered";
        return String.format(Locale.ROOT, "%d (%d–%d of %d%s)", median(windows), windows.get(0),
                windows.get(windows.size() - 1), windows.size(), recovered);
    }

    private static double median(SideResult side) {
        List<Long> windows = recoveredWindows(side);
        return windows.isEmpty() ? -1 : median(windows);
    }

    private static long median(List<Long> sorted) {
        return sorted.get(sorted.size() / 2);
    }

    private static List<Long> recoveredWindows(SideResult side) {
        return side.failover().stream().filter(FailoverRound::recovered).map(r -> r.window().toMillis()).sorted()
                .toList();
    }

    private static String mib(long[] kib) {
        if (Arrays.stream(kib).allMatch(v -> v == RssSampler.NONE)) {
            return NONE;
        }
        return Arrays.stream(kib).mapToObj(v -> v == RssSampler.NONE ? "?" : Long.toString(Math.round(v / 1024.0)))
                .collect(Collectors.joining(" / "));
    }

    private static double max(long[] values) {
        return Arrays.stream(values).max().orElse(RssSampler.NONE);
    }

    private static long errors(SideResult side) {
        return side.loads().stream().mapToLong(l -> l.result().errorCount()).sum();
    }

    private void details(StringBuilder out, SideResult side) {
        out.append("## ").append(side.label()).append(" (").append(side.version()).append(")\n\n");
        side.failure().ifPresent(f -> out.append("**Stopped early:** ").append(f.replace("\n", " ")).append("\n\n"));
        if (!side.command().isEmpty()) {
            out.append("Member 1: `").append(String.join(" ", side.command())).append("`\n\n");
        }
        if (!side.loads().isEmpty()) {
            out.append("| load | ops | ops/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | errors | notes |\n");
            out.append("|---|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
            for (SideResult.Labeled labeled : side.loads()) {
                LoadResult r = labeled.result();
                LatencySummary l = r.latency();
                out.append("| ").append(labeled.label()).append(" | ").append(r.ops()).append(" | ")
                        .append(count(r.opsPerSecond())).append(" | ").append(ms(l.p50())).append(" | ")
                        .append(ms(l.p90())).append(" | ").append(ms(l.p99())).append(" | ").append(ms(l.p999()))
                        .append(" | ").append(ms(l.max())).append(" | ").append(errorText(r)).append(" | ")
                        .append(notes(r)).append(" |\n");
            }
            out.append('\n');
        }
        List<String> rounds = new ArrayList<>();
        for (int i = 0; i < side.failover().size(); i++) {
            FailoverRound round = side.failover().get(i);
            rounds.add("- failover round " + (i + 1) + ": killed " + round.killed() + "; "
                    + (round.recovered()
                            ? "put succeeded after " + round.window().toMillis() + " ms (" + round.attempts()
                                    + " attempts); new leader " + round.newLeader()
                            : round.note()));
        }
        if (!rounds.isEmpty()) {
            out.append(String.join("\n", rounds)).append("\n\n");
        }
    }

    private static String errorText(LoadResult result) {
        if (result.errors().isEmpty()) {
            return "0";
        }
        return result.errors().entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue() + " (" + result.errorMessages().get(e.getKey())
                        .replace("|", "\\|").replace("\n", " ") + ")")
                .collect(Collectors.joining("; "));
    }

    private static String notes(LoadResult result) {
        return result.details().entrySet().stream()
                .filter(e -> !e.getKey().equals("key_space") && !e.getKey().equals("value_size"))
                .map(e -> e.getKey() + "=" + (e.getValue() instanceof Double d
                        ? String.format(Locale.ROOT, "%.3f", d) : String.valueOf(e.getValue())))
                .collect(Collectors.joining(", "));
    }
}
