package dev.consensus.operator.model;

import dev.consensus.crd.ConsensusCluster;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;

/**
 * At most one member voluntarily disrupted (drained, evicted) at a time. One is what every cluster
 * of three or more survives; a one-member cluster is unavailable during its only member's eviction
 * either way, and maxUnavailable (unlike minAvailable) still lets a node drain go through.
 */
public final class PodDisruptionBudgetModel {

  private PodDisruptionBudgetModel() {
  }

  public static PodDisruptionBudget desired(ConsensusCluster cluster) {
    return new PodDisruptionBudgetBuilder()
        .withMetadata(ObjectMetas.owned(cluster, ClusterNames.of(cluster).podDisruptionBudget()))
        .withNewSpec()
          .withMaxUnavailable(new IntOrString(1))
          .withNewSelector().withMatchLabels(Labels.selector(cluster)).endSelector()
        .endSpec()
        .build();
  }
}
