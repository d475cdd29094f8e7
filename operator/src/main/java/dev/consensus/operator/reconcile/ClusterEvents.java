package dev.consensus.operator.reconcile;

import dev.consensus.crd.ConsensusCluster;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Kubernetes Events on the ConsensusCluster, one per membership step; an event that cannot be written is logged, never fatal. */
public final class ClusterEvents {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterEvents.class);
  private static final AtomicLong SEQUENCE = new AtomicLong();

  private final KubernetesClient client;
  private final Clock clock;

  public ClusterEvents(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  public void normal(ConsensusCluster cluster, String reason, String message) {
    emit(cluster, "Normal", reason, message);
  }

  public void warning(ConsensusCluster cluster, String reason, String message) {
    emit(cluster, "Warning", reason, message);
  }

  private void emit(ConsensusCluster cluster, String type, String reason, String message) {
    String now = clock.instant().toString();
    Event event = new EventBuilder()
        .withNewMetadata()
          .withNamespace(cluster.getMetadata().getNamespace())
          .withName(cluster.getMetadata().getName() + "." + Long.toHexString(clock.millis()) + "."
              + SEQUENCE.incrementAndGet())
        .endMetadata()
        .withNewInvolvedObject()
          .withApiVersion(cluster.getApiVersion())
          .withKind(cluster.getKind())
          .withName(cluster.getMetadata().getName())
          .withNamespace(cluster.getMetadata().getNamespace())
          .withUid(cluster.getMetadata().getUid())
        .endInvolvedObject()
        .withType(type)
        .withReason(reason)
        .withMessage(message)
        .withFirstTimestamp(now)
        .withLastTimestamp(now)
        .withCount(1)
        .withNewSource().withComponent("consensus-operator").endSource()
        .build();
    LOG.info("event cluster={} type={} reason={} message=\"{}\"", logName(cluster), type, reason, message);
    try {
      client.v1().events().inNamespace(cluster.getMetadata().getNamespace()).resource(event).create();
    } catch (KubernetesClientException e) {
      LOG.warn("event not written cluster={} reason={} error=\"{}\"", logName(cluster), reason, e.getMessage());
    }
  }

  /** A cluster in the operator's key=value log lines: {@code NAMESPACE/NAME}, as kubectl writes it. */
  static String logName(ConsensusCluster cluster) {
    return cluster.getMetadata().getNamespace() + "/" + cluster.getMetadata().getName();
  }
}
