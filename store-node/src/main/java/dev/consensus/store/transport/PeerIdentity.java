package dev.consensus.store.transport;

/** Who this member is; every peer message carries both ids and the receiver checks them. */
public record PeerIdentity(long clusterId, long memberId) {}
