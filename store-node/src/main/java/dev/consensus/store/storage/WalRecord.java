package dev.consensus.store.storage;

import dev.consensus.store.raft.Entry;
import dev.consensus.store.raft.HardState;

/**
 * One record of the write-ahead log. Entries, hard states and snapshot markers share one
 * stream, so their order on disk is the order in which they happened.
 */
public sealed interface WalRecord {

    /**
     * A log entry. Replaying it first drops every entry at its index or above: that is how a
     * leader's overwrite of an uncommitted suffix is recorded without rewriting the file.
     */
    record EntryRecord(Entry entry) implements WalRecord {}

    /** The Raft hard state (term, vote, commit); the last one in the stream wins. */
    record HardStateRecord(HardState hardState) implements WalRecord {}

    /**
     * A snapshot at {@code index} and {@code term} exists as a file in the snap directory.
     * With {@code replacesLog} (a snapshot installed from the leader) every entry before it is
     * void, as the in-memory log drops them; without (a snapshot the state machine took, or the
     * copy that opens each segment) the entries stay. Index 0 means "no snapshot yet".
     */
    record SnapshotRecord(long index, long term, boolean replacesLog) implements WalRecord {

        public static final SnapshotRecord NONE = new SnapshotRecord(0, 0, false);

        public SnapshotRecord {
            if (index < 0 || term < 0) {
                throw new IllegalArgumentException("snapshot marker index and term must be >= 0");
            }
        }
    }

    /**
     * The first record of every segment: the format version, and the segment's sequence number,
     * which must match its file name, so a renamed or misplaced file is noticed.
     */
    record SegmentHeader(int version, long sequence, long firstIndex) implements WalRecord {}
}
