package dev.consensus.operator.model;

import dev.consensus.crd.ConsensusCluster;
import dev.consensus.crd.Defaults;
import dev.consensus.crd.StorageSpec;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import java.util.Map;

/**
 * The members' StatefulSet. Its replica count is not {@code spec.replicas} but whatever step of a
 * membership change the reconciler is at, so the caller passes it.
 *
 * <ul>
 *   <li>{@code podManagementPolicy: Parallel}: the operator already orders membership changes one
 *       member at a time, through the etcd API. OrderedReady would add a second ordering that can
 *       deadlock: after a full outage member 0 is not ready until a quorum is back, and OrderedReady
 *       would not recreate members 1 and 2 until member 0 is ready.</li>
 *   <li>{@code updateStrategy: OnDelete}: a changed template restarts nothing by itself. The
 *       operator restarts members itself, followers first and the leader last after handing over
 *       leadership, with health checked between steps; RollingUpdate would go by ordinal, blind to
 *       who leads and to whether the last restarted member caught up.</li>
 *   <li>{@code persistentVolumeClaimRetentionPolicy}: whenDeleted from spec.storage.deletionPolicy;
 *       whenScaled Retain, because after a scale-in the operator deletes the removed member's claim
 *       itself, once the member is out of the membership, so a later scale-out starts clean.</li>
 * </ul>
 */
public final class StatefulSetModel {

  private StatefulSetModel() {
  }

  public static StatefulSet desired(ConsensusCluster cluster, int replicas) {
    if (replicas < 0) {
      throw new IllegalArgumentException("replicas must not be negative, got " + replicas);
    }
    ClusterNames names = ClusterNames.of(cluster);
    Map<String, String> selector = Labels.selector(cluster);
    return new StatefulSetBuilder()
        .withMetadata(ObjectMetas.owned(cluster, names.statefulSet()))
        .withNewSpec()
          .withReplicas(replicas)
          .withServiceName(names.headlessService())
          .withPodManagementPolicy("Parallel")
          .withNewUpdateStrategy().withType("OnDelete").endUpdateStrategy()
          .withNewSelector().withMatchLabels(selector).endSelector()
          .withTemplate(PodTemplateModel.desired(cluster))
          .withVolumeClaimTemplates(claimTemplate(cluster.getSpec().storage()))
          .withNewPersistentVolumeClaimRetentionPolicy()
            .withWhenDeleted(Defaults.deletionPolicy(cluster.getSpec().storage()).name())
            .withWhenScaled("Retain")
          .endPersistentVolumeClaimRetentionPolicy()
        .endSpec()
        .build();
  }

  /** The claim each member gets; without owner references, the StatefulSet's retention policy decides. */
  private static PersistentVolumeClaim claimTemplate(StorageSpec storage) {
    return new PersistentVolumeClaimBuilder()
        .withNewMetadata().withName(StoreFlags.DATA_VOLUME).endMetadata()
        .withNewSpec()
          .withAccessModes("ReadWriteOnce")
          .withStorageClassName(storage.storageClassName())
          .withNewResources().addToRequests("storage", storage.size()).endResources()
        .endSpec()
        .build();
  }
}
