package dev.consensus.operator.harness;

import dev.consensus.crd.ConsensusCluster;
import dev.consensus.operator.model.ClusterNames;
import dev.consensus.operator.model.MemberAddressing;
import dev.consensus.operator.model.StoreFlags;

/**
 * Member NAME-i on its own loopback address, {@code PREFIX.(i+1)}, with etcd's usual ports (https when
 * the spec turns TLS on, as the pods' URLs are): what the
 * pod runner binds each member to and what the operator dials, in place of the pods' DNS names.
 */
public record LoopbackAddressing(String prefix) implements MemberAddressing {

  public String host(int ordinal) {
    return prefix + "." + (ordinal + 1);
  }

  public String host(ConsensusCluster cluster, String memberName) {
    int ordinal = ClusterNames.of(cluster).ordinalOf(memberName);
    if (ordinal < 0) {
      throw new IllegalArgumentException(memberName + " is not a member name of " + cluster.getMetadata().getName());
    }
    return host(ordinal);
  }

  @Override
  public String peerUrl(ConsensusCluster cluster, String memberName) {
    return (StoreFlags.peerTls(cluster.getSpec()) ? "https" : "http") + "://" + host(cluster, memberName) + ":"
        + ClusterNames.PEER_PORT;
  }

  @Override
  public String clientUrl(ConsensusCluster cluster, String memberName) {
    return (StoreFlags.clientTls(cluster.getSpec()) ? "https" : "http") + "://" + host(cluster, memberName) + ":"
        + ClusterNames.CLIENT_PORT;
  }
}
