package dev.consensus.store.raft;

/** Volatile state worth telling the server about: who leads, and this node's role. */
public record SoftState(long leaderId, Role role) {}
