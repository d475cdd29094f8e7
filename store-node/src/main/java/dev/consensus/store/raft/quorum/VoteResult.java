package dev.consensus.store.raft.quorum;

/** Where an election stands once some votes are in. */
public enum VoteResult {
    /** A majority granted. */
    WON,
    /** A majority can no longer grant. */
    LOST,
    /** Neither yet. */
    PENDING
}
