package dev.consensus.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.consensus.crd.ConsensusCluster;
import dev.consensus.crd.ConsensusClusterSpec;
import dev.consensus.operator.Clusters;
import dev.consensus.operator.model.PodTemplateModel;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

/** The pod template's hash decides rolling restarts: it must move with the template, and only with it. */
class TemplateHashTest {

  @Test
  void a_replicas_change_keeps_the_hash_and_a_version_change_moves_it() {
    ConsensusCluster three = Clusters.cluster(Clusters.minimal(3));
    ConsensusCluster five = Clusters.cluster(Clusters.minimal(5));
    assertThat(Serialization.asJson(PodTemplateModel.desired(three)))
        .isEqualTo(Serialization.asJson(PodTemplateModel.desired(five)));
    assertThat(ClusterObserver.templateHash(three)).isEqualTo(ClusterObserver.templateHash(five));
    ConsensusClusterSpec s = Clusters.minimal(3);
    ConsensusCluster upgraded = Clusters.cluster(new ConsensusClusterSpec(3, s.image(), "0.2.0", s.command(),
        s.storage(), s.resources(), s.pod(), s.store(), s.tls(), s.paused()));
    assertThat(ClusterObserver.templateHash(upgraded)).isNotEqualTo(ClusterObserver.templateHash(three));
  }

  @Test
  void the_hash_survives_a_round_trip_through_json() {
    ConsensusCluster cluster = Clusters.cluster(Clusters.minimal(3));
    ConsensusCluster copy = Serialization.unmarshal(Serialization.asJson(cluster), ConsensusCluster.class);
    assertThat(ClusterObserver.templateHash(copy)).isEqualTo(ClusterObserver.templateHash(cluster));
  }
}
