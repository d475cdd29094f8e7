package dev.consensus.operator.health;

import dev.consensus.crd.MemberStatus;
import dev.consensus.crd.Operation;
import dev.consensus.crd.validation.SpecViolation;
import dev.consensus.operator.health.ClusterStatusModel.Observation;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Available, Progressing and Degraded from one observation. The reasons here are those the health
 * alone decides; the reconciler's own (a refused step, a learner past its deadline) come with the
 * operation it passes in.
 */
final class ClusterConditions {

  private ClusterConditions() {
  }

  static List<Condition> of(Observation o) {
    return List.of(available(o), progressing(o), degraded(o));
  }

  private static Condition available(Observation o) {
    ClusterHealth h = o.health();
    if (!o.formed()) {
      return Conditions.of(Conditions.AVAILABLE, false, "Bootstrapping", "no member has reported a cluster yet");
    }
    if (h.available()) {
      return Conditions.of(Conditions.AVAILABLE, true, "QuorumAvailable", "leader " + h.leader() + ", "
          + h.healthyVoters() + " of " + h.voters().size() + " voters healthy, quorum " + h.quorumSize());
    }
    String why = h.leader() == null ? "no leader" : "leader " + h.leader() + " but only " + h.healthyVoters()
        + " of " + h.voters().size() + " voters healthy, quorum " + h.quorumSize();
    return Conditions.of(Conditions.AVAILABLE, false, "QuorumLost", why + "; down: " + down(h));
  }

  private static Condition progressing(Observation o) {
    if (!o.violations().isEmpty()) {
      return Conditions.of(Conditions.PROGRESSING, false, "InvalidSpec", "nothing applied: "
          + o.violations().stream().map(SpecViolation::toString).collect(Collectors.joining("; ")));
    }
    if (o.cluster().getSpec().isPaused()) {
      return Conditions.of(Conditions.PROGRESSING, false, "Paused", "spec.paused is true: no changes are made");
    }
    Operation op = o.operation();
    if (op != null) {
      return Conditions.of(Conditions.PROGRESSING, true, op.kind().name(), "step " + op.step()
          + (op.detail() == null ? "" : ": " + op.detail()));
    }
    if (o.reconfiguring()) {
      return Conditions.of(Conditions.PROGRESSING, true, "MembershipDiffers", o.health().voters().size()
          + " voters and " + o.health().learners().size() + " learners, spec.replicas is "
          + o.cluster().getSpec().replicas());
    }
    return Conditions.of(Conditions.PROGRESSING, false, "Converged", o.health().voters().size()
        + " voters, as spec.replicas asks");
  }

  private static Condition degraded(Observation o) {
    ClusterHealth h = o.health();
    if (!o.formed()) {
      return Conditions.of(Conditions.DEGRADED, false, "Bootstrapping", "no member has reported a cluster yet");
    }
    if (!h.available()) {
      return Conditions.of(Conditions.DEGRADED, true, "QuorumLost", "down: " + down(h));
    }
    List<MemberStatus> unhealthy = h.members().stream().filter(m -> !Boolean.TRUE.equals(m.healthy())).toList();
    if (!unhealthy.isEmpty()) {
      return Conditions.of(Conditions.DEGRADED, true, "MembersUnhealthy", unhealthy.stream()
          .map(m -> m.name() + " (" + String.join(", ", m.errors()) + ")").collect(Collectors.joining("; ")));
    }
    return Conditions.of(Conditions.DEGRADED, false, "MembersHealthy", h.members().size() + " members healthy");
  }

  private static String down(ClusterHealth h) {
    List<String> down = h.unhealthyMembers();
    return down.isEmpty() ? "none reported" : String.join(", ", down);
  }
}
