package dev.consensus.store.raft;

/**
 * A linearizable read that may be served once the state machine has applied {@code index}:
 * the leader confirmed, after the read was asked for, that it still led with this commit index.
 */
public record ReadState(long index, long requestId) {}
