package dev.consensus.store.raft;

import java.util.ArrayList;
import java.util.List;

/**
 * The log as the core sees it: what the storage holds, followed by the unstable tail, plus the
 * commit and applied indexes.
 *
 * <p>Invariant: {@code applied <= committed <= lastIndex()}, and {@code committed} never falls.
 */
final class RaftLog {

    /** A position in the log. */
    record Position(long index, long term) {}

    private final LogReader storage;
    private final UnstableLog unstable;
    private final ConfigHistory configs;
    private long committed;
    private long applied;

    RaftLog(LogReader storage) {
        this.storage = storage;
        this.unstable = new UnstableLog(storage.lastIndex() + 1);
        Snapshot snapshot = storage.snapshot();
        long snapshotIndex = snapshot.index();
        this.committed = Math.max(storage.hardState().commit(), snapshotIndex);
        this.applied = snapshotIndex;
        this.configs = new ConfigHistory(snapshot.metadata().confState(), snapshotIndex);
        if (storage.lastIndex() > snapshotIndex) {
            configs.appended(storage.entries(snapshotIndex + 1, storage.lastIndex() + 1, Long.MAX_VALUE));
        }
        if (committed > lastIndex()) {
            throw new IllegalStateException("persisted commit index " + committed
                    + " is past the last persisted entry " + lastIndex() + ": the log is damaged");
        }
    }

    long committed() {
        return committed;
    }

    /** The membership in force: the latest in the log (see {@link ConfigHistory}). */
    ConfState config() {
        return configs.current();
    }

    ConfigHistory configs() {
        return configs;
    }

    long applied() {
        return applied;
    }

    long firstIndex() {
        long fromSnapshot = unstable.maybeFirstIndex();
        return fromSnapshot != UnstableLog.UNKNOWN ? fromSnapshot : storage.firstIndex();
    }

    long lastIndex() {
        long fromTail = unstable.maybeLastIndex();
        return fromTail != UnstableLog.UNKNOWN ? fromTail : storage.lastIndex();
    }

    long lastTerm() {
        return term(lastIndex());
    }

    /**
     * The term at {@code index}, or 0 past the end of the log.
     *
     * @throws LogCompactedException when the entry has been compacted away
     */
    long term(long index) {
        if (index > lastIndex()) {
            return 0;
        }
        long fromTail = unstable.maybeTerm(index);
        if (fromTail != UnstableLog.UNKNOWN) {
            return fromTail;
        }
        if (index < firstIndex() - 1) {
            throw new LogCompactedException(index, firstIndex() - 1);
        }
        return storage.term(index);
    }

    /** Like {@link #term} but 0 for a compacted index, for checks that then simply fail. */
    long termOrZero(long index) {
        try {
            return term(index);
        } catch (LogCompactedException e) {
            return 0;
        }
    }

    boolean matchTerm(long index, long term) {
        return termOrZero(index) == term;
    }

    /** Section 5.4.1: is a log ending at {@code (lastIndex, lastTerm)} at least as up to date? */
    boolean isUpToDate(long otherLastIndex, long otherLastTerm) {
        long myLastTerm = lastTerm();
        return otherLastTerm > myLastTerm || (otherLastTerm == myLastTerm && otherLastIndex >= lastIndex());
    }

    /**
     * A follower's half of AppendEntries (5.3): if the log matches at {@code prev}, the new
     * entries are appended after dropping any conflicting suffix, and the commit index follows
     * the leader's up to the last new entry.
     *
     * @return the index of the last new entry, or -1 when the log does not match at {@code prev}
     */
    long maybeAppend(Position prev, long leaderCommit, List<Entry> entries) {
        if (!matchTerm(prev.index(), prev.term())) {
            return -1;
        }
        long lastNew = prev.index() + entries.size();
        long conflict = findConflict(entries);
        if (conflict != 0) {
            if (conflict <= committed) {
                throw new IllegalStateException("entry " + conflict + " conflicts with committed entry "
                        + "(committed " + committed + "): a leader is overwriting committed history");
            }
            append(entries.subList((int) (conflict - entries.getFirst().index()), entries.size()));
        }
        commitTo(Math.min(leaderCommit, lastNew));
        return lastNew;
    }

    /** The first entry whose term differs from ours, or 0 when all match or extend the log. */
    private long findConflict(List<Entry> entries) {
        for (Entry e : entries) {
            if (!matchTerm(e.index(), e.term())) {
                return e.index();
            }
        }
        return 0;
    }

    /**
     * The last position at or before {@code index} whose term is at most {@code term}: no entry
     * after it can match a log whose entry at {@code index} has {@code term} (fast back-off).
     */
    Position findConflictByTerm(long index, long term) {
        long i = Math.min(index, lastIndex());
        while (i > 0) {
            long t;
            try {
                t = term(i);
            } catch (LogCompactedException e) {
                break;
            }
            if (t <= term) {
                return new Position(i, t);
            }
            i--;
        }
        return new Position(i, 0);
    }

    long append(List<Entry> entries) {
        if (entries.isEmpty()) {
            return lastIndex();
        }
        long after = entries.getFirst().index() - 1;
        if (after < committed) {
            throw new IllegalStateException("append after " + after + " is below the commit index " + committed);
        }
        unstable.truncateAndAppend(entries);
        configs.appended(entries);
        return lastIndex();
    }

    void commitTo(long index) {
        if (index <= committed) {
            return;
        }
        if (index > lastIndex()) {
            throw new IllegalStateException("commit index " + index + " is past the last index " + lastIndex());
        }
        committed = index;
    }

    /** Section 5.4.2: a leader commits by counting replicas only for an entry of its own term. */
    boolean maybeCommit(long index, long currentTerm) {
        if (index > committed && termOrZero(index) == currentTerm) {
            commitTo(index);
            return true;
        }
        return false;
    }

    void appliedTo(long index) {
        if (index < applied || index > committed) {
            throw new IllegalStateException("applied " + index + " out of [" + applied + "," + committed + "]");
        }
        applied = index;
    }

    boolean hasCommittedToRelease() {
        return committed > applied && !hasPendingSnapshot();
    }

    /** Committed entries not yet released for applying, up to about {@code maxBytes}. */
    List<Entry> committedToRelease(long maxBytes) {
        return hasCommittedToRelease() ? slice(applied + 1, committed + 1, maxBytes) : List.of();
    }

    boolean hasUnstableEntries() {
        return unstable.maybeLastIndex() >= unstable.offset();
    }

    /**
     * The last index that is on disk and still part of this log: entries past it are only in
     * memory, or on disk but about to be replaced. Zero while a snapshot awaits persisting.
     */
    long persistedLastIndex() {
        if (unstable.snapshot() != null) {
            return 0;
        }
        return Math.min(storage.lastIndex(), unstable.offset() - 1);
    }

    List<Entry> unstableEntries() {
        return unstable.entries();
    }

    Snapshot pendingSnapshot() {
        return unstable.snapshot();
    }

    boolean hasPendingSnapshot() {
        return unstable.snapshot() != null;
    }

    void stableTo(long index, long term) {
        unstable.stableTo(index, term);
    }

    void stableSnapshotTo(long index) {
        unstable.stableSnapshotTo(index);
    }

    /** The newest snapshot: one still being installed, else the one in storage. */
    Snapshot snapshot() {
        Snapshot pending = unstable.snapshot();
        return pending != null ? pending : storage.snapshot();
    }

    /** Replaces the log with a snapshot from the leader (7). */
    void restore(Snapshot snapshot) {
        committed = snapshot.index();
        applied = Math.min(applied, committed);
        unstable.restore(snapshot);
        configs.restore(snapshot.metadata().confState(), snapshot.index());
    }

    /** Marks everything up to the snapshot applied once the state machine has installed it. */
    void snapshotInstalled(long index) {
        applied = Math.max(applied, index);
    }

    /**
     * Entries in {@code [lo, hi)} from storage and then the unstable tail, stopping once
     * {@code maxBytes} would be passed but always returning at least one entry.
     *
     * @throws LogCompactedException when {@code lo} has been compacted away
     */
    List<Entry> slice(long lo, long hi, long maxBytes) {
        if (lo < firstIndex()) {
            throw new LogCompactedException(lo, firstIndex() - 1);
        }
        hi = Math.min(hi, lastIndex() + 1);
        List<Entry> out = new ArrayList<>();
        if (lo >= hi) {
            return out;
        }
        long tailStart = unstable.offset();
        if (lo < tailStart) {
            out.addAll(storage.entries(lo, Math.min(hi, tailStart), maxBytes));
            if (out.size() < Math.min(hi, tailStart) - lo) {
                return out;
            }
        }
        if (hi > tailStart) {
            long bytes = 0;
            for (Entry e : out) {
                bytes += e.sizeBytes();
            }
            for (Entry e : unstable.slice(Math.max(lo, tailStart), hi)) {
                bytes += e.sizeBytes();
                if (!out.isEmpty() && bytes > maxBytes) {
                    break;
                }
                out.add(e);
            }
        }
        return out;
    }
}
