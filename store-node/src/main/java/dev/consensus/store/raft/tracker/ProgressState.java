package dev.consensus.store.raft.tracker;

/** How the leader is currently sending to one member. */
public enum ProgressState {
    /** Where the member's log matches is unknown: one append at a time until it answers. */
    PROBE,
    /** The logs match up to {@code match}: appends are pipelined, bounded by the in-flight window. */
    REPLICATE,
    /** The member needs a snapshot, which is on its way; nothing else is sent until it lands. */
    SNAPSHOT
}
