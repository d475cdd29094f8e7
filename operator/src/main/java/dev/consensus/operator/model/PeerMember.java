package dev.consensus.operator.model;

/** One entry of etcd's {@code --initial-cluster}: a member's name and its peer URL. */
public record PeerMember(String name, String peerUrl) {
}
