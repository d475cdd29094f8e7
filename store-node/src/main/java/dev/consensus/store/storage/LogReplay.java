package dev.consensus.store.storage;

import dev.consensus.store.raft.Entry;
import dev.consensus.store.raft.HardState;
import dev.consensus.store.storage.WalRecord.EntryRecord;
import dev.consensus.store.storage.WalRecord.HardStateRecord;
import dev.consensus.store.storage.WalRecord.SegmentHeader;
import dev.consensus.store.storage.WalRecord.SnapshotRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Rebuilds the log from the WAL's records by the same rules the in-memory log follows: an
 * entry at index i drops every entry at i or above before it is added; a snapshot installed from
 * the leader drops every entry; the last hard state wins.
 *
 * <p>The oldest segments may have been purged, so the replayed entries may begin at any index,
 * and after a purge they may even restart further on. Only the entries after the snapshot that
 * recovery settles on must be complete; {@link #entriesAfter} checks that.
 *
 * <p>Invariant: {@code entries} holds consecutive indexes starting at {@code startIndex}.
 */
final class LogReplay {

    private HardState hardState = HardState.EMPTY;
    private final List<SnapshotRecord> snapshots = new ArrayList<>();
    private final List<Entry> entries = new ArrayList<>();
    private long startIndex = 1;

    static LogReplay of(List<WalRecord> records) {
        LogReplay replay = new LogReplay();
        records.forEach(replay::apply);
        return replay;
    }

    void apply(WalRecord record) {
        switch (record) {
            case EntryRecord(Entry e) -> entry(e);
            case HardStateRecord(HardState h) -> hardState = h;
            case SnapshotRecord s -> snapshot(s);
            case SegmentHeader h -> { }
        }
    }

    private void entry(Entry e) {
        long next = startIndex + entries.size();
        if (entries.isEmpty() || e.index() < startIndex || e.index() > next) {
            entries.clear();
            startIndex = e.index();
        } else {
            entries.subList((int) (e.index() - startIndex), entries.size()).clear();
        }
        entries.add(e);
    }

    private void snapshot(SnapshotRecord s) {
        if (s.index() > 0) {
            snapshots.add(s);
        }
        if (s.replacesLog()) {
            entries.clear();
            startIndex = s.index() + 1;
        }
    }

    HardState hardState() {
        return hardState;
    }

    /** Every snapshot marker seen, in order (the copies that open segments included). */
    List<SnapshotRecord> snapshots() {
        return List.copyOf(snapshots);
    }

    /**
     * The entries after a snapshot at {@code index} with {@code term}, or empty when the log
     * after it is incomplete: its first entries are gone, or the entry at {@code index} has
     * another term, so the log does not continue from that snapshot.
     */
    Optional<List<Entry>> entriesAfter(long index, long term) {
        long last = startIndex + entries.size() - 1;
        if (last <= index) {
            return Optional.of(List.of());
        }
        if (startIndex > index + 1) {
            return Optional.empty();
        }
        int from = (int) (index + 1 - startIndex);
        if (from > 0 && entries.get(from - 1).term() != term) {
            return Optional.empty();
        }
        return Optional.of(List.copyOf(entries.subList(from, entries.size())));
    }

    /** The first index replayed (for messages about a gap). */
    long firstReplayedIndex() {
        return startIndex;
    }
}
