package dev.consensus.operator.health;

import java.util.List;

/** What asking one member for its status ({@code Maintenance.Status}) gave: an answer, or why there was none. */
public sealed interface EndpointReport {

  long memberId();

  /**
   * The columns of {@code etcdctl endpoint status} for one member: the IDs from the response header,
   * who it thinks leads, its term, committed and applied index, database size, version, and errors
   * (alarms included).
   */
  record Answered(long memberId, long clusterId, long leaderId, long raftTerm, long raftIndex,
      long appliedIndex, long dbSize, String version, boolean learner, List<String> errors)
      implements EndpointReport {

    public Answered {
      errors = List.copyOf(errors);
    }
  }

  /** The member did not answer: connection refused, timed out, TLS failure, as the caller saw it. */
  record Unreachable(long memberId, String error) implements EndpointReport {
  }
}
