package dev.consensus.operator.model;

import dev.consensus.crd.ConsensusCluster;

/**
 * Where a member is reached: the peer URL it advertises (and the membership records) and the client
 * URL the operator dials. In a Kubernetes cluster both are the member's stable DNS name under the
 * headless Service ({@link #DNS}); a test harness that runs members as local processes maps each
 * member to its own loopback address instead. Every place that writes or dials a member URL (the
 * cluster ConfigMap, {@code MemberAdd}, the operator's client) goes through one of these, so the
 * URLs agree everywhere.
 */
public interface MemberAddressing {

  String peerUrl(ConsensusCluster cluster, String memberName);

  String clientUrl(ConsensusCluster cluster, String memberName);

  /** The stable DNS names of the headless Service, as the pods advertise them. */
  MemberAddressing DNS = new MemberAddressing() {
    @Override
    public String peerUrl(ConsensusCluster cluster, String memberName) {
      return StoreFlags.peerUrl(cluster, memberName);
    }

    @Override
    public String clientUrl(ConsensusCluster cluster, String memberName) {
      return StoreFlags.clientUrl(cluster, memberName);
    }

    @Override
    public String toString() {
      return "DNS";
    }
  };
}
