package dev.consensus.bench.cluster;

import dev.consensus.bench.load.LoadResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything measured on one side (one server command), in plan order. A side that failed part
 * of the way keeps what it measured before, and says what went wrong in {@code failure}.
 *
 * @param label the server's label
 * @param version what its {@code Status} reported
 * @param command member 1's command line
 * @param loads results in plan order, each with its plan label
 * @param rssPeakKib per member, the peak resident memory while the loads ran ({@link RssSampler#NONE} if unknown)
 * @param rssAfterKib per member, resident memory right after the loads
 * @param failover the failover rounds
 * @param failure what stopped the side early, if anything
 */
public record SideResult(String label, String version, List<String> command, List<Labeled> loads, long[] rssPeakKib,
        long[] rssAfterKib, List<FailoverRound> failover, Optional<String> failure) {

    /** One load's result under its plan label. */
    public record Labeled(String label, LoadResult result) {
    }

    public SideResult {
        command = List.copyOf(command);
        loads = List.copyOf(loads);
        rssPeakKib = rssPeakKib.clone();
        rssAfterKib = rssAfterKib.clone();
        failover = List.copyOf(failover);
    }

    /**
     * One side's rounds as one result: per load, the round with the median throughput (its
     * latencies with it, so that every figure of a row comes from one run); every failover round;
     * per member, the highest memory seen; the first failure.
     */
    public static SideResult combine(List<SideResult> rounds) {
        if (rounds.size() == 1) {
            return rounds.get(0);
        }
        Map<String, List<LoadResult>> byLabel = new LinkedHashMap<>();
        for (SideResult round : rounds) {
            for (Labeled load : round.loads()) {
                byLabel.computeIfAbsent(load.label(), label -> new ArrayList<>()).add(load.result());
            }
        }
        List<Labeled> medians = new ArrayList<>();
        byLabel.forEach((label, results) -> {
            List<LoadResult> sorted = results.stream().sorted(Comparator.comparingDouble(LoadResult::opsPerSecond)).toList();
            medians.add(new Labeled(label, sorted.get(sorted.size() / 2)));
        });
        SideResult first = rounds.get(0);
        return new SideResult(first.label(), first.version(), first.command(), medians,
                elementMax(rounds.stream().map(SideResult::rssPeakKib).toList()),
                elementMax(rounds.stream().map(SideResult::rssAfterKib).toList()),
                rounds.stream().flatMap(round -> round.failover().stream()).toList(),
                rounds.stream().flatMap(round -> round.failure().stream()).findFirst());
    }

    private static long[] elementMax(List<long[]> arrays) {
        long[] max = arrays.get(0).clone();
        for (long[] values : arrays) {
            for (int i = 0; i < max.length && i < values.length; i++) {
                max[i] = Math.max(max[i], values[i]);
            }
        }
        return max;
    }

    public Optional<LoadResult> result(String loadLabel) {
        return loads.stream().filter(l -> l.label().equals(loadLabel)).map(Labeled::result).findFirst();
    }
}
