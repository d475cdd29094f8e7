package dev.consensus.operator;

import dev.consensus.crd.ConsensusCluster;
import dev.consensus.crd.ConsensusClusterSpec;
import dev.consensus.crd.StorageSpec;
import dev.consensus.crd.StoreOptions;
import dev.consensus.crd.TlsSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Quantity;

/** Resources for the model tests. */
public final class Clusters {

  private Clusters() {
  }

  public static ConsensusCluster cluster(ConsensusClusterSpec spec) {
    ConsensusCluster cluster = new ConsensusCluster();
    cluster.setMetadata(new ObjectMetaBuilder().withName("demo").withNamespace("ns").withUid("uid-1")
        .withGeneration(4L).build());
    cluster.setSpec(spec);
    return cluster;
  }

  public static ConsensusClusterSpec minimal(int replicas) {
    return new ConsensusClusterSpec(replicas, null, null, null, new StorageSpec(new Quantity("1Gi"), null, null),
        null, null, null, null, null);
  }

  public static ConsensusClusterSpec withStore(StoreOptions store) {
    return new ConsensusClusterSpec(3, null, null, null, new StorageSpec(new Quantity("1Gi"), null, null),
        null, null, store, null, null);
  }

  public static ConsensusClusterSpec withTls(TlsSpec tls) {
    return new ConsensusClusterSpec(3, null, null, null, new StorageSpec(new Quantity("1Gi"), null, null),
        null, null, null, tls, null);
  }
}
