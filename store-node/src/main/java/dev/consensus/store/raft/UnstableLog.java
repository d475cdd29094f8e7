package dev.consensus.store.raft;

import java.util.ArrayList;
import java.util.List;

/**
 * The tail of the log that lives only in memory until the server has persisted it: entries and
 * possibly an incoming snapshot. What is here is lost in a crash, by design.
 *
 * <p>Invariant: {@code entries.get(k)} has index {@code offset + k}; when a snapshot is held,
 * {@code offset == snapshot.index() + 1} or entries have been appended after it.
 */
final class UnstableLog {

    /** Returned by the "maybe" lookups when this tail does not know the answer. */
    static final long UNKNOWN = -1;

    private Snapshot snapshot;
    private final List<Entry> entries = new ArrayList<>();
    private long offset;

    UnstableLog(long offset) {
        this.offset = offset;
    }

    Snapshot snapshot() {
        return snapshot;
    }

    List<Entry> entries() {
        return List.copyOf(entries);
    }

    long offset() {
        return offset;
    }

    long maybeFirstIndex() {
        return snapshot == null ? UNKNOWN : snapshot.index() + 1;
    }

    long maybeLastIndex() {
        if (!entries.isEmpty()) {
            return offset + entries.size() - 1;
        }
        return snapshot == null ? UNKNOWN : snapshot.index();
    }

    long maybeTerm(long index) {
        if (index < offset) {
            return snapshot != null && snapshot.index() == index ? snapshot.term() : UNKNOWN;
        }
        long last = maybeLastIndex();
        if (last == UNKNOWN || index > last) {
            return UNKNOWN;
        }
        return entries.get((int) (index - offset)).term();
    }

    /** The entries up to {@code index} reached the disk, provided they were not replaced since. */
    void stableTo(long index, long term) {
        if (index < offset || maybeTerm(index) != term) {
            return;
        }
        entries.subList(0, (int) (index + 1 - offset)).clear();
        offset = index + 1;
    }

    void stableSnapshotTo(long index) {
        if (snapshot != null && snapshot.index() == index) {
            snapshot = null;
        }
    }

    void restore(Snapshot incoming) {
        snapshot = incoming;
        entries.clear();
        offset = incoming.index() + 1;
    }

    void truncateAndAppend(List<Entry> incoming) {
        long first = incoming.getFirst().index();
        if (first == offset + entries.size()) {
            entries.addAll(incoming);
        } else if (first <= offset) {
            // The new entries replace everything held here, and some of what is on disk too;
            // the storage drops its conflicting suffix when it appends them.
            offset = first;
            entries.clear();
            entries.addAll(incoming);
        } else {
            entries.subList((int) (first - offset), entries.size()).clear();
            entries.addAll(incoming);
        }
    }

    /** Entries in {@code [lo, hi)}, which must lie within this tail. */
    List<Entry> slice(long lo, long hi) {
        if (lo < offset || hi > offset + entries.size()) {
            throw new IllegalStateException("unstable slice [" + lo + "," + hi + ") out of ["
                    + offset + "," + (offset + entries.size()) + ")");
        }
        return entries.subList((int) (lo - offset), (int) (hi - offset));
    }
}
