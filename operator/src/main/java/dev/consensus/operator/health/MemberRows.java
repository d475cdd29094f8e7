package dev.consensus.operator.health;

import dev.consensus.crd.MemberRole;
import dev.consensus.crd.MemberStatus;
import java.util.ArrayList;
import java.util.List;

/** One row of the status' member table, from what the member answered (or did not). */
final class MemberRows {

  private MemberRows() {
  }

  static MemberStatus row(MemberInfo member, MemberRole role, EndpointReport report, Long clusterId,
      Long leaderIndex) {
    String name = member.displayName();
    String id = HexIds.format(member.id());
    if (report == null) {
      return new MemberStatus(name, id, role, null, null, null, null, null, null, false,
          List.of("no status: the member was not reached"));
    }
    return switch (report) {
      case EndpointReport.Unreachable u ->
          new MemberStatus(name, id, role, null, null, null, null, null, null, false, List.of(u.error()));
      case EndpointReport.Answered a -> answered(name, id, role, a, clusterId, leaderIndex);
    };
  }

  private static MemberStatus answered(String name, String id, MemberRole role, EndpointReport.Answered a,
      Long clusterId, Long leaderIndex) {
    List<String> errors = new ArrayList<>(a.errors());
    if (clusterId != null && a.clusterId() != clusterId) {
      errors.add("reports cluster ID " + HexIds.format(a.clusterId()) + ", the others "
          + HexIds.format(clusterId));
    }
    if (a.leaderId() == 0) {
      errors.add("knows no leader");
    }
    Long lag = leaderIndex == null ? null : Math.max(0, leaderIndex - a.raftIndex());
    return new MemberStatus(name, id, role, a.raftTerm(), a.raftIndex(), a.appliedIndex(), lag, a.dbSize(),
        a.version(), errors.isEmpty(), List.copyOf(errors));
  }
}
