package dev.consensus.store.raft;

/**
 * The asked-for index lies inside the latest snapshot: its entry is gone, and a member that
 * needs it gets the snapshot instead.
 */
public final class LogCompactedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public LogCompactedException(long index, long snapshotIndex) {
        super("raft: requested index " + index + " is unavailable due to compaction (snapshot at "
                + snapshotIndex + ")");
    }
}
