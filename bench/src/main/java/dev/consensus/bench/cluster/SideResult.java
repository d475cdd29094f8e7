package dev.consensus.bench.cluster;

import dev.consensus.bench.load.LoadResult;
import java.util.List;
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

    public Optional<LoadResult> result(String loadLabel) {
        return loads.stream().filter(l -> l.label().equals(loadLabel)).map(Labeled::result).findFirst();
    }
}
