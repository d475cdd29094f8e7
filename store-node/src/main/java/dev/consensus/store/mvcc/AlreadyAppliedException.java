package dev.consensus.store.mvcc;

/**
 * A write carried a Raft index the store has already applied, so it was ignored and nothing
 * changed. The server sees it only if it replays entries without first comparing their index
 * with {@link MvccStore#appliedIndex()}, which it should do after a restart.
 */
public final class AlreadyAppliedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long appliedIndex;
    private final long offeredIndex;

    public AlreadyAppliedException(long appliedIndex, long offeredIndex) {
        super("raft index " + offeredIndex + " is already applied (applied index " + appliedIndex + ")",
                null, false, false);
        this.appliedIndex = appliedIndex;
        this.offeredIndex = offeredIndex;
    }

    public long appliedIndex() {
        return appliedIndex;
    }

    public long offeredIndex() {
        return offeredIndex;
    }
}
