package dev.consensus.store.raft;

/** Where a snapshot sits in the log, and the membership in force at that point. */
public record SnapshotMetadata(long index, long term, ConfState confState) {

    public static final SnapshotMetadata EMPTY = new SnapshotMetadata(0, 0, ConfState.EMPTY);

    public SnapshotMetadata {
        if (index < 0 || term < 0) {
            throw new IllegalArgumentException("snapshot index and term must be >= 0");
        }
        if (confState == null) {
            throw new IllegalArgumentException("snapshot membership is required");
        }
    }
}
