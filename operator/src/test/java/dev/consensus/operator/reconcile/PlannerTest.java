package dev.consensus.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.consensus.crd.ConsensusCluster;
import dev.consensus.crd.ConsensusClusterSpec;
import dev.consensus.crd.Operation;
import dev.consensus.crd.OperationKind;
import dev.consensus.operator.Clusters;
import dev.consensus.operator.health.ClusterHealth;
import dev.consensus.operator.health.EndpointReport;
import dev.consensus.operator.health.HexIds;
import dev.consensus.operator.health.MemberInfo;
import dev.consensus.operator.model.StatefulSetModel;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The planner's choices from hand-made observations: no API server, no members. */
class PlannerTest {

  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final ReconcilerConfig CONFIG = new ReconcilerConfig(10, Duration.ofSeconds(5),
      Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofSeconds(1));
  private final Planner planner = new Planner(CONFIG);

  /** A cluster of {@code voters} voters (ids 100+i), member 0 leading, all healthy unless listed as down. */
  private static final class World {
    ConsensusCluster cluster;
    int replicas;
    final List<MemberInfo> members = new ArrayList<>();
    final Map<Long, Integer> ordinals = new HashMap<>();
    final Map<Long, EndpointReport> reports = new HashMap<>();
    final Map<Integer, Pod> pods = new TreeMap<>();
    final Map<Integer, PersistentVolumeClaim> claims = new TreeMap<>();
    Operation operation;

    World(int wanted, int voters, Set<Integer> down) {
      cluster = Clusters.cluster(Clusters.minimal(wanted));
      replicas = voters;
      for (int i = 0; i < voters; i++) {
        member(i, false, down.contains(i) ? -1 : 50);
      }
    }

    void member(int i, boolean learner, long raftIndex) {
      long id = 100 + i;
      members.add(new MemberInfo(id, "demo-" + i, List.of("http://demo-" + i + ":2380"), learner));
      ordinals.put(id, i);
      reports.put(id, raftIndex < 0 ? new EndpointReport.Unreachable(id, "connection refused")
          : new EndpointReport.Answered(id, 1, 100, 2, raftIndex, raftIndex, 1000, "3.4.23", learner, List.of()));
      pods.put(i, new PodBuilder().withNewMetadata().withName("demo-" + i)
          .withAnnotations(Map.of(ClusterState.TEMPLATE_HASH_ANNOTATION, "h")).endMetadata().build());
      claims.put(i, new PersistentVolumeClaimBuilder().withMetadata(new ObjectMetaBuilder()
          .withName("data-demo-" + i).withAnnotations(Map.of(ClusterState.MEMBER_ID_ANNOTATION,
              HexIds.format(id))).build()).build());
    }

    ClusterState state() {
      var sts = StatefulSetModel.desired(cluster, replicas);
      sts.getSpec().getTemplate().getMetadata().getAnnotations().put(ClusterState.TEMPLATE_HASH_ANNOTATION, "h");
      return new ClusterState(cluster, sts, null, pods, claims, members,
          ordinals, ClusterHealth.compute(members, reports), "h", operation, NOW);
    }
  }

  @Test
  void a_cluster_without_a_statefulset_bootstraps_member_0() {
    World w = new World(3, 0, Set.of());
    ClusterState s = new ClusterState(w.cluster, null, null, Map.of(), Map.of(), List.of(), Map.of(),
        ClusterHealth.compute(List.of(), Map.of()), "h", null, NOW);
    assertThat(planner.plan(s).step()).isEqualTo(new Step.Bootstrap());
  }

  @Test
  void a_paused_cluster_gets_no_step() {
    World w = new World(5, 3, Set.of());
    ConsensusClusterSpec spec = w.cluster.getSpec();
    w.cluster.setSpec(new ConsensusClusterSpec(5, null, null, null, spec.storage(), null, null, null, null, true));
    assertThat(planner.plan(w.state()).step()).isInstanceOf(Step.Wait.class);
  }

  @Test
  void without_quorum_nothing_is_changed() {
    World w = new World(5, 3, Set.of(1, 2));
    assertThat(planner.plan(w.state()).step()).isInstanceOf(Step.Wait.class);
  }

  @Test
  void scale_out_adds_the_next_member_as_a_learner() {
    World w = new World(5, 3, Set.of());
    assertThat(planner.plan(w.state()).step()).isEqualTo(new Step.AddLearner(3));
  }

  @Test
  void a_learner_past_its_deadline_is_removed_and_the_operation_says_rolled_back() {
    World w = new World(4, 3, Set.of());
    w.replicas = 4;
    w.member(3, true, 1);
    w.operation = new Operation(OperationKind.ScaleOut, Planner.WAIT_CAUGHT_UP, NOW.minusSeconds(61).toString(), "");
    Plan plan = planner.plan(withJoiningConfig(w.state()));
    assertThat(plan.step()).isEqualTo(new Step.RemoveMember(3, 103));
    assertThat(plan.operation().step()).isEqualTo(Planner.ROLLED_BACK);
  }

  @Test
  void a_learner_caught_up_long_enough_is_promoted() {
    World w = new World(4, 3, Set.of());
    w.replicas = 4;
    w.member(3, true, 50);
    w.operation = new Operation(OperationKind.ScaleOut, Planner.HOLD_CAUGHT_UP, NOW.minusSeconds(6).toString(), "");
    assertThat(planner.plan(withJoiningConfig(w.state())).step()).isEqualTo(new Step.Promote(3, 103));
  }

  @Test
  void a_leading_member_hands_leadership_over_before_it_is_removed() {
    World w = new World(2, 3, Set.of());
    w.reports.replaceAll((id, r) -> r instanceof EndpointReport.Answered a ? new EndpointReport.Answered(id, 1, 102,
        2, 50, 50, 1000, "3.4.23", false, List.of()) : r);
    assertThat(planner.plan(w.state()).step()).isEqualTo(new Step.MoveLeader(2, 102, 0, 100));
  }

  @Test
  void a_removal_that_would_leave_no_healthy_quorum_is_refused() {
    World w = new World(2, 3, Set.of(1));
    Plan plan = planner.plan(w.state());
    assertThat(plan.step()).isInstanceOf(Step.Refuse.class);
    assertThat(((Step.Refuse) plan.step()).why()).contains("removing demo-2 would leave 2 voters with 1 healthy");
  }

  @Test
  void a_voter_whose_claim_lost_its_mark_is_replaced_and_a_marked_one_is_not() {
    World w = new World(3, 3, Set.of());
    assertThat(planner.plan(w.state()).step()).isInstanceOf(Step.Wait.class);
    w.claims.put(1, new PersistentVolumeClaimBuilder().withNewMetadata().withName("data-demo-1").endMetadata()
        .build());
    assertThat(planner.plan(w.state()).step()).isEqualTo(new Step.RemoveMember(1, 101));
  }

  @Test
  void a_removed_members_slot_is_wiped_once_then_refilled_with_a_learner() {
    World w = new World(3, 3, Set.of());
    w.members.removeIf(m -> m.id() == 101);
    assertThat(planner.plan(w.state()).step()).isEqualTo(new Step.WipeMember(1));
    w.operation = new Operation(OperationKind.ReplaceMember, Planner.VOLUME_WIPED, NOW.toString(), "demo-1");
    assertThat(planner.plan(w.state()).step()).isEqualTo(new Step.AddLearner(1));
  }

  @Test
  void a_stale_follower_restarts_before_the_leader() {
    World w = new World(3, 3, Set.of());
    w.pods.replaceAll((i, p) -> new PodBuilder(p).editMetadata()
        .withAnnotations(Map.of(ClusterState.TEMPLATE_HASH_ANNOTATION, "old")).endMetadata().build());
    assertThat(planner.plan(w.state()).step()).isEqualTo(new Step.RestartPod(2));
  }

  private static ClusterState withJoiningConfig(ClusterState s) {
    return new ClusterState(s.cluster(), s.statefulSet(), JoiningConfig.desired(s), s.pods(), s.claims(),
        s.membership(), s.ordinals(), s.health(), s.templateHash(), s.operation(), s.now());
  }
}
