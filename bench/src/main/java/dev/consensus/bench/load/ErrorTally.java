package dev.consensus.bench.load;

import io.grpc.Status;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Failed requests, counted by gRPC status code name ({@code UNAVAILABLE},
 * {@code DEADLINE_EXCEEDED}...), plus any named outcome a workload adds (watch events that never
 * arrived). The first message seen for each code is kept, so a report can say what went wrong
 * and not only how often.
 */
public final class ErrorTally {

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final Map<String, String> firstMessages = new ConcurrentHashMap<>();

    /** Counts a failed request under its gRPC status code; anything else is {@code UNKNOWN}. */
    public void record(Throwable error) {
        Status status = Status.fromThrowable(error);
        String code = status.getCode().name();
        String description = status.getDescription() != null ? status.getDescription() : String.valueOf(error);
        add(code, 1, description);
    }

    /** Counts {@code count} failures of a kind the workload names itself. */
    public void add(String name, long count, String message) {
        if (count <= 0) {
            return;
        }
        counts.computeIfAbsent(name, key -> new LongAdder()).add(count);
        firstMessages.putIfAbsent(name, message);
    }

    /** Adds another tally's counts to this one. */
    public void merge(ErrorTally other) {
        SortedMap<String, String> messages = other.firstMessages();
        other.counts().forEach((name, count) -> add(name, count, messages.get(name)));
    }

    public long total() {
        return counts.values().stream().mapToLong(LongAdder::sum).sum();
    }

    public SortedMap<String, Long> counts() {
        SortedMap<String, Long> snapshot = new TreeMap<>();
        counts.forEach((name, count) -> snapshot.put(name, count.sum()));
        return snapshot;
    }

    public SortedMap<String, String> firstMessages() {
        return new TreeMap<>(firstMessages);
    }
}
