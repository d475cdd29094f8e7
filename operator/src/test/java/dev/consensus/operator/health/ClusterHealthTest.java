package dev.consensus.operator.health;

import static dev.consensus.operator.Clusters.cluster;
import static dev.consensus.operator.Clusters.minimal;
import static org.assertj.core.api.Assertions.assertThat;

import dev.consensus.crd.ClusterPhase;
import dev.consensus.crd.ConsensusCluster;
import dev.consensus.crd.ConsensusClusterSpec;
import dev.consensus.crd.ConsensusClusterStatus;
import dev.consensus.crd.MemberRole;
import dev.consensus.crd.MemberStatus;
import dev.consensus.crd.Operation;
import dev.consensus.crd.OperationKind;
import dev.consensus.crd.validation.SpecViolation;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Health and status from member tables, the way {@code etcdctl member list} and {@code endpoint status} show them. */
class ClusterHealthTest {

  private static final long CLUSTER = 0xc1L;
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant T1 = Instant.parse("2026-01-01T00:05:00Z");

  private static MemberInfo voter(int i) {
    return new MemberInfo(100 + i, "demo-" + i, List.of("http://demo-" + i + ".demo.ns.svc:2380"), false);
  }

  private static MemberInfo learner(int i, boolean started) {
    return new MemberInfo(100 + i, started ? "demo-" + i : "", List.of("http://demo-" + i + ".demo.ns.svc:2380"), true);
  }

  private static EndpointReport answer(int i, int leader, long term, long index, String... errors) {
    return new EndpointReport.Answered(100 + i, CLUSTER, leader < 0 ? 0 : 100 + leader, term, index, index - 1,
        4096, "3.5.0", false, List.of(errors));
  }

  private static Map<Long, EndpointReport> reports(EndpointReport... reports) {
    Map<Long, EndpointReport> map = new HashMap<>();
    for (EndpointReport r : reports) {
      map.put(r.memberId(), r);
    }
    return map;
  }

  @Test
  void three_healthy_voters_tolerate_one_failure() {
    ClusterHealth h = ClusterHealth.compute(List.of(voter(2), voter(0), voter(1)),
        reports(answer(0, 1, 5, 100), answer(1, 1, 5, 100), answer(2, 1, 5, 98)));
    assertThat(h.available()).isTrue();
    assertThat(h.clusterId()).isEqualTo("c1");
    assertThat(h.leader()).isEqualTo("demo-1");
    assertThat(h.raftTerm()).isEqualTo(5);
    assertThat(h.voters()).containsExactly("demo-0", "demo-1", "demo-2");
    assertThat(h.quorumSize()).isEqualTo(2);
    assertThat(h.failureTolerance()).isEqualTo(1);
    assertThat(h.members()).extracting(MemberStatus::name, MemberStatus::role, MemberStatus::lag, MemberStatus::healthy)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("demo-0", MemberRole.Follower, 0L, true),
            org.assertj.core.groups.Tuple.tuple("demo-1", MemberRole.Leader, 0L, true),
            org.assertj.core.groups.Tuple.tuple("demo-2", MemberRole.Follower, 2L, true));
    assertThat(h.members().get(0).memberId()).isEqualTo("64");
  }

  @Test
  void failure_tolerance_counts_healthy_voters() {
    List<MemberInfo> five = List.of(voter(0), voter(1), voter(2), voter(3), voter(4));
    ClusterHealth h = ClusterHealth.compute(five, reports(answer(0, 0, 3, 10), answer(1, 0, 3, 10),
        answer(2, 0, 3, 10), answer(3, 0, 3, 10), new EndpointReport.Unreachable(104, "connection refused")));
    assertThat(h.quorumSize()).isEqualTo(3);
    assertThat(h.healthyVoters()).isEqualTo(4);
    assertThat(h.failureTolerance()).isEqualTo(1);
    assertThat(h.unhealthyMembers()).containsExactly("demo-4");
    assertThat(h.members().get(4).errors()).containsExactly("connection refused");
    assertThat(h.members().get(4).raftIndex()).isNull();
  }

  @Test
  void a_lost_majority_is_unavailable_with_no_tolerance() {
    ClusterHealth h = ClusterHealth.compute(List.of(voter(0), voter(1), voter(2)),
        reports(answer(0, -1, 7, 50), new EndpointReport.Unreachable(101, "timeout"),
            new EndpointReport.Unreachable(102, "timeout")));
    assertThat(h.available()).isFalse();
    assertThat(h.leader()).isNull();
    assertThat(h.failureTolerance()).isZero();
    assertThat(h.members().get(0).errors()).containsExactly("knows no leader");
  }

  @Test
  void learners_are_counted_apart_and_an_unstarted_one_is_named_from_its_peer_url() {
    ClusterHealth h = ClusterHealth.compute(List.of(voter(0), learner(1, false)),
        reports(answer(0, 0, 2, 500), new EndpointReport.Unreachable(101, "no such host")));
    assertThat(h.voters()).containsExactly("demo-0");
    assertThat(h.learners()).containsExactly("demo-1");
    assertThat(h.quorumSize()).isEqualTo(1);
    assertThat(h.available()).isTrue();
    assertThat(h.failureTolerance()).isZero();
    assertThat(h.members().get(1).role()).isEqualTo(MemberRole.Learner);
  }

  @Test
  void a_learner_catching_up_shows_its_lag() {
    ClusterHealth h = ClusterHealth.compute(List.of(voter(0), learner(1, true)),
        reports(answer(0, 0, 2, 500), answer(1, 0, 2, 120)));
    assertThat(h.members().get(1).lag()).isEqualTo(380);
    assertThat(h.members().get(1).healthy()).isTrue();
  }

  @Test
  void the_newest_term_names_the_leader_and_a_stale_one_is_ignored() {
    ClusterHealth h = ClusterHealth.compute(List.of(voter(0), voter(1), voter(2)),
        reports(answer(0, 0, 3, 40), answer(1, 2, 4, 41), answer(2, 2, 4, 41)));
    assertThat(h.leader()).isEqualTo("demo-2");
    assertThat(h.raftTerm()).isEqualTo(4);
  }

  @Test
  void a_member_of_another_cluster_is_unhealthy() {
    EndpointReport stranger = new EndpointReport.Answered(102, 0xd2L, 102, 9, 9, 9, 1, "3.5.0", false, List.of());
    ClusterHealth h = ClusterHealth.compute(List.of(voter(0), voter(1), voter(2)),
        reports(answer(0, 0, 3, 40), answer(1, 0, 3, 40), stranger));
    assertThat(h.clusterId()).isEqualTo("c1");
    assertThat(h.leader()).isEqualTo("demo-0");
    assertThat(h.members().get(2).errors()).containsExactly("reports cluster ID d2, the others c1");
  }

  @Test
  void alarms_make_a_member_unhealthy() {
    ClusterHealth h = ClusterHealth.compute(List.of(voter(0)), reports(answer(0, 0, 1, 9, "alarm:NOSPACE")));
    assertThat(h.available()).isFalse();
    assertThat(h.members().get(0).errors()).containsExactly("alarm:NOSPACE");
  }

  @Test
  void names_sort_by_ordinal() {
    List<MemberInfo> members = List.of(voter(10), voter(2), voter(1));
    ClusterHealth h = ClusterHealth.compute(members, reports());
    assertThat(h.voters()).containsExactly("demo-1", "demo-2", "demo-10");
  }

  // Status: phase and conditions.

  private static ConsensusClusterStatus status(ConsensusCluster c, ClusterHealth h, Operation op,
      List<SpecViolation> violations, ConsensusClusterStatus previous, Instant now) {
    return ClusterStatusModel.status(c, h, op, violations, previous, now);
  }

  private static Condition condition(ConsensusClusterStatus s, String type) {
    return s.conditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
  }

  private static ClusterHealth healthy3() {
    return ClusterHealth.compute(List.of(voter(0), voter(1), voter(2)),
        reports(answer(0, 0, 5, 100), answer(1, 0, 5, 100), answer(2, 0, 5, 100)));
  }

  @Test
  void a_converged_cluster_is_running() {
    ConsensusClusterStatus s = status(cluster(minimal(3)), healthy3(), null, List.of(), null, T0);
    assertThat(s.phase()).isEqualTo(ClusterPhase.Running);
    assertThat(s.observedGeneration()).isEqualTo(4);
    assertThat(s.replicas()).isEqualTo(3);
    assertThat(s.readyMembers()).isEqualTo(3);
    assertThat(s.selector()).isEqualTo("app.kubernetes.io/name=consensus-store,app.kubernetes.io/instance=demo");
    assertThat(s.conditions()).extracting(Condition::getType, Condition::getStatus, Condition::getReason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("Available", "True", "QuorumAvailable"),
            org.assertj.core.groups.Tuple.tuple("Progressing", "False", "Converged"),
            org.assertj.core.groups.Tuple.tuple("Degraded", "False", "MembersHealthy"));
    assertThat(s.conditions()).allSatisfy(c -> {
      assertThat(c.getLastTransitionTime()).isEqualTo("2026-01-01T00:00:00Z");
      assertThat(c.getObservedGeneration()).isEqualTo(4);
    });
  }

  @Test
  void transition_times_move_only_when_a_status_changes() {
    ConsensusCluster c = cluster(minimal(3));
    ConsensusClusterStatus first = status(c, healthy3(), null, List.of(), null, T0);
    ClusterHealth oneDown = ClusterHealth.compute(List.of(voter(0), voter(1), voter(2)),
        reports(answer(0, 0, 5, 100), answer(1, 0, 5, 100), new EndpointReport.Unreachable(102, "refused")));
    ConsensusClusterStatus second = status(c, oneDown, null, List.of(), first, T1);
    assertThat(second.phase()).isEqualTo(ClusterPhase.Degraded);
    assertThat(condition(second, "Available").getLastTransitionTime()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(condition(second, "Available").getMessage()).isEqualTo("leader demo-0, 2 of 3 voters healthy, quorum 2");
    assertThat(condition(second, "Degraded").getStatus()).isEqualTo("True");
    assertThat(condition(second, "Degraded").getMessage()).isEqualTo("demo-2 (refused)");
    assertThat(condition(second, "Degraded").getLastTransitionTime()).isEqualTo("2026-01-01T00:05:00Z");
  }

  @Test
  void before_any_member_answers_the_cluster_is_pending_and_after_it_formed_unavailable() {
    ConsensusCluster c = cluster(minimal(1));
    ClusterHealth nothing = ClusterHealth.compute(List.of(), reports());
    ConsensusClusterStatus pending = status(c, nothing, null, List.of(), null, T0);
    assertThat(pending.phase()).isEqualTo(ClusterPhase.Pending);
    assertThat(condition(pending, "Available").getReason()).isEqualTo("Bootstrapping");
    assertThat(condition(pending, "Degraded").getStatus()).isEqualTo("False");

    ConsensusClusterStatus formed = status(c, ClusterHealth.compute(List.of(voter(0)), reports(answer(0, 0, 1, 1))),
        null, List.of(), pending, T0);
    ConsensusClusterStatus lost = status(c, nothing, null, List.of(), formed, T1);
    assertThat(lost.phase()).isEqualTo(ClusterPhase.Unavailable);
    assertThat(lost.clusterId()).isEqualTo("c1");
    assertThat(condition(lost, "Available").getReason()).isEqualTo("QuorumLost");
    assertThat(condition(lost, "Degraded").getReason()).isEqualTo("QuorumLost");
  }

  @Test
  void an_operation_or_a_membership_short_of_the_spec_is_reconfiguring() {
    ConsensusClusterStatus growing = status(cluster(minimal(5)), healthy3(), null, List.of(), null, T0);
    assertThat(growing.phase()).isEqualTo(ClusterPhase.Reconfiguring);
    assertThat(condition(growing, "Progressing").getReason()).isEqualTo("MembershipDiffers");
    Operation op = new Operation(OperationKind.ScaleOut, "WaitCaughtUp", "2026-01-01T00:00:00Z", "demo-3 380 behind");
    ConsensusClusterStatus adding = status(cluster(minimal(5)), healthy3(), op, List.of(), null, T0);
    assertThat(condition(adding, "Progressing").getReason()).isEqualTo("ScaleOut");
    assertThat(condition(adding, "Progressing").getMessage()).isEqualTo("step WaitCaughtUp: demo-3 380 behind");
    assertThat(adding.operation()).isEqualTo(op);
  }

  @Test
  void paused_and_invalid_say_so() {
    ConsensusClusterSpec paused = new ConsensusClusterSpec(5, null, null, null, minimal(5).storage(),
        null, null, null, null, true);
    ConsensusClusterStatus p = status(cluster(paused), healthy3(), null, List.of(), null, T0);
    assertThat(p.phase()).isEqualTo(ClusterPhase.Paused);
    assertThat(condition(p, "Progressing").getReason()).isEqualTo("Paused");
    ConsensusClusterStatus invalid = status(cluster(minimal(3)), healthy3(), null,
        List.of(new SpecViolation("spec.store.electionTimeoutMs", "too short")), null, T0);
    assertThat(invalid.phase()).isEqualTo(ClusterPhase.Invalid);
    assertThat(condition(invalid, "Progressing").getReason()).isEqualTo("InvalidSpec");
    assertThat(condition(invalid, "Progressing").getMessage())
        .isEqualTo("nothing applied: spec.store.electionTimeoutMs: too short");
    assertThat(condition(invalid, "Available").getStatus()).as("the cluster itself still serves").isEqualTo("True");
  }
}
