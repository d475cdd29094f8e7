package dev.consensus.operator.model;

import dev.consensus.crd.ConsensusCluster;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;

/**
 * Metadata shared by every owned object: its name in the cluster's namespace, the operator's labels,
 * and an owner reference to the ConsensusCluster, so that deleting the resource deletes them (and
 * the claims too, when the StatefulSet's retention policy says Delete).
 */
public final class ObjectMetas {

  private ObjectMetas() {
  }

  public static ObjectMeta owned(ConsensusCluster cluster, String name) {
    return new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(cluster.getMetadata().getNamespace())
        .withLabels(Labels.all(cluster))
        .withOwnerReferences(ownerReference(cluster))
        .build();
  }

  /** The controller reference to the resource; blockOwnerDeletion so foreground deletion waits for the object. */
  public static OwnerReference ownerReference(ConsensusCluster cluster) {
    return new OwnerReferenceBuilder()
        .withApiVersion(cluster.getApiVersion())
        .withKind(cluster.getKind())
        .withName(cluster.getMetadata().getName())
        .withUid(cluster.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }
}
