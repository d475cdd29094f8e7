package dev.consensus.store.mvcc.model;

import java.util.Map;
import java.util.TreeMap;

/**
 * How often each kind of operation was answered each way over a test's sequences, and how many
 * watch items were compared, so a run can show what it covered (printed at the end of a test).
 */
public final class RunStats {

    private final Map<String, Long> outcomes = new TreeMap<>();
    private long watchItems;

    void record(ModelOp op, Outcome expected) {
        String kind = op.getClass().getSimpleName();
        String result = expected instanceof Outcome.Failed failed ? failed.toString() : "ok";
        outcomes.merge(kind + " -> " + result, 1L, Long::sum);
    }

    void watchItems(long count) {
        watchItems += count;
    }

    public long operations() {
        return outcomes.values().stream().mapToLong(Long::longValue).sum();
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        outcomes.forEach((what, count) -> text.append(String.format("  %6d  %s%n", count, what)));
        return text.append(String.format("  %6d  watch items delivered and compared%n", watchItems)).toString();
    }
}
