package dev.consensus.faults.history;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A whole run: entries in time order (operations by call time). Immutable. */
public record History(List<Entry> entries) {

    private static final Comparator<Entry> BY_TIME = Comparator.comparingLong(Entry::atNanos);

    public History {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(BY_TIME);
        Set<Long> ids = new HashSet<>();
        for (Entry e : sorted) {
            if (e instanceof Operation op && !ids.add(op.id())) {
                throw new IllegalArgumentException("two operations have id " + op.id());
            }
        }
        entries = List.copyOf(sorted);
    }

    public static History of(Entry... entries) {
        return new History(List.of(entries));
    }

    public List<Operation> operations() {
        return only(Operation.class);
    }

    public List<Fault> faults() {
        return only(Fault.class);
    }

    public <T extends Entry> List<T> only(Class<T> type) {
        List<T> out = new ArrayList<>();
        for (Entry e : entries) {
            if (type.isInstance(e)) {
                out.add(type.cast(e));
            }
        }
        return out;
    }

    /** The time reports count from: the first entry, or 0 for an empty history. */
    public long originNanos() {
        return entries.isEmpty() ? 0 : entries.get(0).atNanos();
    }
}
