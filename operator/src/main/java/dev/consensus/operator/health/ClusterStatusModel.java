package dev.consensus.operator.health;

import dev.consensus.crd.ClusterPhase;
import dev.consensus.crd.ConsensusCluster;
import dev.consensus.crd.ConsensusClusterStatus;
import dev.consensus.crd.Operation;
import dev.consensus.crd.validation.SpecViolation;
import dev.consensus.operator.model.Labels;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.List;

/**
 * The whole status from one observation: the health computed from the members, the operation in
 * progress, the spec's violations, and the previous conditions (for their transition times). Status
 * is built here and nowhere else, so every field agrees with every other.
 */
public final class ClusterStatusModel {

  private ClusterStatusModel() {
  }

  /**
   * @param operation the operation in progress, or null
   * @param violations what {@code SpecValidator} and {@code ChangeValidator} found; non-empty means
   *     nothing of the spec was applied
   * @param previous the status being replaced, or null: its conditions keep their transition times,
   *     and its cluster ID stays when no member answers now (a cluster that formed once is never
   *     Pending again, it is Unavailable)
   * @param now the observation's time, for transitions
   */
  public static ConsensusClusterStatus status(ConsensusCluster cluster, ClusterHealth health, Operation operation,
      List<SpecViolation> violations, ConsensusClusterStatus previous, Instant now) {
    String clusterId = health.clusterId() != null ? health.clusterId()
        : previous == null ? null : previous.clusterId();
    Observation observation = new Observation(cluster, health, operation, violations, clusterId != null);
    List<Condition> conditions = Conditions.merge(
        previous == null || previous.conditions() == null ? List.of() : previous.conditions(),
        ClusterConditions.of(observation), cluster.getMetadata().getGeneration(), now);
    return new ConsensusClusterStatus(
        cluster.getMetadata().getGeneration(),
        phase(observation),
        conditions,
        clusterId,
        health.leader(),
        health.raftTerm(),
        health.voters(),
        health.learners(),
        health.quorumSize(),
        health.failureTolerance(),
        health.members().size(),
        health.healthyMembers(),
        Labels.selectorString(cluster),
        health.members(),
        operation);
  }

  /** The phase; when several apply, the first of Invalid, Pending, Unavailable, Paused, Reconfiguring, Degraded. */
  public static ClusterPhase phase(Observation o) {
    if (!o.violations().isEmpty()) {
      return ClusterPhase.Invalid;
    }
    if (!o.formed()) {
      return ClusterPhase.Pending;
    }
    if (!o.health().available()) {
      return ClusterPhase.Unavailable;
    }
    if (o.cluster().getSpec().isPaused()) {
      return ClusterPhase.Paused;
    }
    if (o.reconfiguring()) {
      return ClusterPhase.Reconfiguring;
    }
    return o.health().unhealthyMembers().isEmpty() ? ClusterPhase.Running : ClusterPhase.Degraded;
  }

  /**
   * One observation's inputs, named.
   *
   * @param formed whether a cluster ID was ever seen: the members formed a cluster at some point
   */
  public record Observation(ConsensusCluster cluster, ClusterHealth health, Operation operation,
      List<SpecViolation> violations, boolean formed) {

    public Observation {
      violations = List.copyOf(violations);
    }

    /** An operation runs, a learner waits for promotion, or the membership is not the size asked for. */
    public boolean reconfiguring() {
      Integer wanted = cluster.getSpec().replicas();
      return operation != null || !health.learners().isEmpty()
          || (wanted != null && health.voters().size() != wanted);
    }
  }
}
