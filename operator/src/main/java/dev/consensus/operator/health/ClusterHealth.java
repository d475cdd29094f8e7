package dev.consensus.operator.health;

import dev.consensus.crd.MemberRole;
import dev.consensus.crd.MemberStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The cluster's health as the members report it: who votes, who leads, how many votes a decision
 * needs, how many more voters may fail, and one row per member. Computed from the member list and
 * each member's status answer, with no I/O, so that a test can feed it any table.
 *
 * <p>Failure tolerance counts healthy voters, not voters: five voters need three; with one down,
 * four are healthy and one more may fail, not the textbook (5-1)/2 = 2. That number is what a
 * membership step must not lower, and what a person deciding to drain a node needs.
 *
 * @param membershipKnown false when no member list was obtained (bootstrap, or every member down)
 * @param clusterId the cluster ID most answering members report, in hex; null if none answered
 * @param leader the leader's name; null when no answering member knows a leader in the membership
 * @param raftTerm the term in which that leader leads
 * @param healthyVoters voters that answered, know a leader, report no errors and agree on the cluster ID
 * @param available a leader exists and the healthy voters make a quorum
 * @param members one row per member of the membership, voters first, each group by name
 */
public record ClusterHealth(boolean membershipKnown, String clusterId, String leader, Long raftTerm,
    List<String> voters, List<String> learners, int quorumSize, int healthyVoters, int failureTolerance,
    boolean available, List<MemberStatus> members) {

  /** Orders names like NAME-2 before NAME-10. */
  static final Comparator<String> BY_NAME = Comparator.comparing((String n) -> n.replaceAll("[0-9]+$", ""))
      .thenComparingLong(ClusterHealth::trailingNumber)
      .thenComparing(Comparator.naturalOrder());

  public ClusterHealth {
    voters = List.copyOf(voters);
    learners = List.copyOf(learners);
    members = List.copyOf(members);
  }

  /** Votes a decision needs among {@code voters} voters: a majority. */
  public static int quorumOf(int voters) {
    return voters == 0 ? 0 : voters / 2 + 1;
  }

  /** How many of {@code healthyVoters} may fail, out of {@code voters}, with a quorum left. */
  public static int toleranceOf(int voters, int healthyVoters) {
    return Math.max(0, healthyVoters - quorumOf(voters));
  }

  public static ClusterHealth compute(List<MemberInfo> membership, Map<Long, EndpointReport> reports) {
    List<EndpointReport.Answered> answers = reports.values().stream()
        .filter(EndpointReport.Answered.class::isInstance).map(EndpointReport.Answered.class::cast).toList();
    Long clusterId = majorityClusterId(answers);
    Optional<EndpointReport.Answered> leaderView = answers.stream()
        .filter(a -> a.leaderId() != 0 && (clusterId == null || a.clusterId() == clusterId))
        .max(Comparator.comparingLong(EndpointReport.Answered::raftTerm));
    Map<Long, MemberInfo> byId = new HashMap<>();
    membership.forEach(m -> byId.put(m.id(), m));
    MemberInfo leader = leaderView.map(v -> byId.get(v.leaderId())).orElse(null);
    Long leaderIndex = leader != null && reports.get(leader.id()) instanceof EndpointReport.Answered a
        ? a.raftIndex() : null;

    List<MemberInfo> ordered = new ArrayList<>(membership);
    ordered.sort(Comparator.comparing(MemberInfo::learner)
        .thenComparing(MemberInfo::displayName, BY_NAME));
    List<MemberStatus> rows = new ArrayList<>();
    List<String> voters = new ArrayList<>();
    List<String> learners = new ArrayList<>();
    int healthyVoters = 0;
    for (MemberInfo member : ordered) {
      MemberRole role = leader != null && member.id() == leader.id() ? MemberRole.Leader
          : member.learner() ? MemberRole.Learner : MemberRole.Follower;
      MemberStatus row = MemberRows.row(member, role, reports.get(member.id()), clusterId, leaderIndex);
      rows.add(row);
      (member.learner() ? learners : voters).add(member.displayName());
      if (!member.learner() && Boolean.TRUE.equals(row.healthy())) {
        healthyVoters++;
      }
    }
    int quorum = quorumOf(voters.size());
    boolean available = leader != null && !leader.learner() && healthyVoters >= quorum && quorum > 0;
    return new ClusterHealth(!membership.isEmpty(), clusterId == null ? null : HexIds.format(clusterId),
        leader == null ? null : leader.displayName(), leader == null ? null : leaderView.get().raftTerm(),
        voters, learners, quorum, healthyVoters, available ? toleranceOf(voters.size(), healthyVoters) : 0,
        available, rows);
  }

  /** Members whose row says unhealthy, by name. */
  public List<String> unhealthyMembers() {
    return members.stream().filter(m -> !Boolean.TRUE.equals(m.healthy())).map(MemberStatus::name).toList();
  }

  /** Members whose row says healthy. */
  public int healthyMembers() {
    return members.size() - unhealthyMembers().size();
  }

  /** The cluster ID most answers agree on; a member reporting another one belongs to another cluster. */
  private static Long majorityClusterId(List<EndpointReport.Answered> answers) {
    Map<Long, Integer> votes = new HashMap<>();
    answers.forEach(a -> votes.merge(a.clusterId(), 1, Integer::sum));
    return votes.entrySet().stream()
        .max(Map.Entry.<Long, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
        .map(Map.Entry::getKey).orElse(null);
  }

  private static long trailingNumber(String name) {
    int i = name.length();
    while (i > 0 && Character.isDigit(name.charAt(i - 1))) {
      i--;
    }
    String digits = name.substring(i);
    return digits.isEmpty() || digits.length() > 18 ? -1 : Long.parseLong(digits);
  }
}
