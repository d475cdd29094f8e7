package dev.consensus.operator.reconcile;

import dev.consensus.crd.OperationKind;
import dev.consensus.operator.health.MemberInfo;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Restarts members whose pod was made from an older template (image or store options changed; the
 * StatefulSet's update strategy is OnDelete, so nothing restarts by itself): one at a time, only when
 * every member is healthy, followers from the highest ordinal down, the leader last and only after it
 * handed leadership to a healthy follower.
 */
final class RollingRestart {

  private RollingRestart() {
  }

  static Plan plan(ClusterState s, TreeSet<Integer> voters) {
    List<Integer> stale = voters.descendingSet().stream()
        .filter(j -> !s.templateHash().equals(s.podTemplateHash(j))).toList();
    if (stale.isEmpty()) {
      return new Plan(new Step.Wait("converged"), null);
    }
    var annotations = s.statefulSet().getSpec().getTemplate().getMetadata().getAnnotations();
    if (annotations == null || !s.templateHash().equals(annotations.get(ClusterState.TEMPLATE_HASH_ANNOTATION))) {
      // A pod deleted now could come back from the old template: restart only once the StatefulSet has the new one.
      return new Plan(new Step.Wait("the StatefulSet's template is being updated"),
          Planner.op(s, OperationKind.RollingRestart, "UpdateTemplate", "pod template " + s.templateHash()));
    }
    if (!s.health().unhealthyMembers().isEmpty() || stale.stream().anyMatch(j -> !s.pods().containsKey(j))) {
      return new Plan(new Step.Wait("a restart waits until every member is healthy"),
          Planner.op(s, OperationKind.RollingRestart, "WaitHealthy",
              "unhealthy: " + String.join(", ", s.health().unhealthyMembers())));
    }
    Optional<MemberInfo> leader = s.leader();
    int leaderOrdinal = leader.map(s::ordinalOf).orElse(-1);
    for (int j : stale) {
      if (j != leaderOrdinal) {
        return new Plan(new Step.RestartPod(j), Planner.op(s, OperationKind.RollingRestart, "RestartMember",
            s.names().member(j)));
      }
    }
    if (voters.size() > 1) {
      int to = voters.stream().filter(j -> j != leaderOrdinal).findFirst().orElseThrow();
      MemberInfo transferee = s.member(to).orElseThrow();
      return new Plan(new Step.MoveLeader(leaderOrdinal, leader.orElseThrow().id(), to, transferee.id()),
          Planner.op(s, OperationKind.RollingRestart, "MoveLeader", s.names().member(leaderOrdinal)
              + " leads: leadership goes to " + s.names().member(to) + " before its restart"));
    }
    return new Plan(new Step.RestartPod(leaderOrdinal), Planner.op(s, OperationKind.RollingRestart,
        "RestartMember", s.names().member(leaderOrdinal) + " (the only member)"));
  }
}
