package dev.consensus.operator.reconcile;

import dev.consensus.crd.ConsensusCluster;
import dev.consensus.operator.model.Drift;
import dev.consensus.operator.model.PodDisruptionBudgetModel;
import dev.consensus.operator.model.ServiceModels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The objects whose desired form does not depend on the members' state: the two Services and the
 * PodDisruptionBudget. Each reconcile creates them when missing and restores them when they drifted
 * (someone edited the selector, a port, the budget, or one of our labels), keeping what the API
 * server assigned. The update carries the resourceVersion it read, so a concurrent edit makes it
 * fail, and the next reconcile looks again.
 */
final class OwnedObjects {

  private static final Logger LOG = LoggerFactory.getLogger(OwnedObjects.class);

  private final KubernetesClient client;
  private final ClusterEvents events;

  OwnedObjects(KubernetesClient client, ClusterEvents events) {
    this.client = client;
    this.events = events;
  }

  void ensure(ConsensusCluster cluster) {
    service(cluster, ServiceModels.headless(cluster));
    service(cluster, ServiceModels.client(cluster));
    PodDisruptionBudget pdb = PodDisruptionBudgetModel.desired(cluster);
    PodDisruptionBudget found = client.resource(pdb).get();
    if (found == null) {
      client.resource(pdb).create();
    } else {
      repair(cluster, Drift.podDisruptionBudget(pdb, found));
    }
  }

  private void service(ConsensusCluster cluster, Service desired) {
    Service found = client.resource(desired).get();
    if (found == null) {
      client.resource(desired).create();
    } else if (Drift.needsRecreate(desired, found)) {
      // spec.clusterIP is immutable: delete it, and make it anew once it is gone (this or a later reconcile).
      client.resource(found).delete();
      events.warning(cluster, "ObjectRecreated", "Service " + desired.getMetadata().getName()
          + " had the wrong spec.clusterIP (" + found.getSpec().getClusterIP() + "), which cannot be changed;"
          + " deleted to be made anew");
      if (client.resource(desired).get() == null) {
        client.resource(desired).create();
      }
    } else {
      repair(cluster, Drift.service(desired, found));
    }
  }

  private <T extends HasMetadata> void repair(ConsensusCluster cluster, Optional<Drift.Repair<T>> repair) {
    repair.ifPresent(r -> {
      client.resource(r.object()).update();
      String what = r.object().getKind() + " " + r.object().getMetadata().getName();
      LOG.info("restored drifted object cluster={} object=\"{}\" fields={}", ClusterEvents.logName(cluster), what,
          r.fields());
      events.normal(cluster, "ObjectRestored", what + ": " + String.join(", ", r.fields())
          + " restored to the operator's desired values");
    });
  }
}
