package dev.consensus.store.raft;

/**
 * What a node must have on disk before it sends any message that depends on it: its term, whom
 * it voted for in that term, and how far it knows the log to be committed.
 */
public record HardState(long term, long vote, long commit) {

    public static final HardState EMPTY = new HardState(0, RaftNode.NONE, 0);

    /** Term or vote changed: the change must be fsynced, not only written. */
    public boolean needsSyncComparedTo(HardState previous) {
        return term != previous.term || vote != previous.vote;
    }
}
