package dev.consensus.bench.load;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.SequencedMap;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one load measured.
 *
 * @param spec the load as it was asked for
 * @param ops requests that succeeded (for watch-latency: puts acknowledged)
 * @param elapsed from the first request sent to the last one finished
 * @param latency per-request latency (for watch-latency: from put acknowledgement to event)
 * @param errors failures by gRPC status code, or by a name the workload gives
 * @param errorMessages the first message seen for each entry of {@code errors}
 * @param details figures particular to the workload, in print order (numbers or text)
 */
public record LoadResult(
        LoadSpec spec,
        long ops,
        Duration elapsed,
        LatencySummary latency,
        SortedMap<String, Long> errors,
        SortedMap<String, String> errorMessages,
        SequencedMap<String, Object> details) {

    public LoadResult {
        errors = Collections.unmodifiableSortedMap(new TreeMap<>(errors));
        errorMessages = Collections.unmodifiableSortedMap(new TreeMap<>(errorMessages));
        details = Collections.unmodifiableSequencedMap(new LinkedHashMap<>(details));
    }

    public double opsPerSecond() {
        double seconds = elapsed.toNanos() / 1e9;
        return seconds > 0 ? ops / seconds : 0;
    }

    public long errorCount() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }
}
