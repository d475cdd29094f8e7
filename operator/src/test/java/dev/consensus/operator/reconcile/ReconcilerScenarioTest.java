package dev.consensus.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.consensus.crd.ClusterPhase;
import dev.consensus.crd.ConsensusClusterSpec;
import dev.consensus.crd.StorageSpec;
import dev.consensus.crd.StoreOptions;
import dev.consensus.operator.harness.ClusterFixture;
import dev.consensus.operator.harness.HealthMonitor;
import dev.consensus.operator.members.GrpcMembershipClient;
import dev.consensus.operator.members.MembershipException;
import dev.consensus.operator.model.Labels;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reconciler against fabric8's mock API server in CRUD mode, with real etcd processes behind it
 * (see {@link ClusterFixture}): scale-out and scale-in one member at a time, and the cases around them.
 */
@EnableKubernetesMockClient(crud = true)
class ReconcilerScenarioTest {

  static KubernetesClient client;
  /** The mock server logs every request at INFO through java.util.logging; kept referenced so the level holds. */
  private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  static {
    MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
  }
  private static final AtomicInteger NAMESPACES = new AtomicInteger();

  @TempDir
  Path root;

  @BeforeAll
  static void installCrd() throws Exception {
    try (InputStream in = Files.newInputStream(Path.of("../helm/consensus-operator/crds/consensusclusters.consensus.dev-v1.yml"))) {
      client.resource(client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class)).create();
    }
  }

  private ClusterFixture cluster(int replicas) {
    return new ClusterFixture(client, "scenario-" + NAMESPACES.incrementAndGet(), root, replicas);
  }

  @Test
  void bootstraps_one_member_then_scales_1_3_5_3_1_one_member_at_a_time() throws Exception {
    try (ClusterFixture c = cluster(1)) {
      c.startOperator();
      c.awaitConverged(1, Duration.ofSeconds(30));
      assertThat(c.events("Bootstrap")).hasSize(1);
      long from = System.currentTimeMillis();
      c.setReplicas(3);
      c.awaitConverged(3, Duration.ofSeconds(40));
      assertThat(c.events("MemberPromoted")).hasSize(2);
      // One event per membership step, in the order the steps ran.
      assertThat(c.eventsInOrder(Set.of("MemberAdded", "StatefulSetScaled", "MemberPromoted")))
          .extracting(e -> e.getReason()).containsExactly("MemberAdded", "StatefulSetScaled", "MemberPromoted",
              "MemberAdded", "StatefulSetScaled", "MemberPromoted");
      assertAtMostOneLearnerAndNoQuorumLoss(c.monitor().since(from));
      c.setReplicas(5);
      c.awaitConverged(5, Duration.ofSeconds(40));
      // The highest member, removed first, leads: it hands leadership over before it goes.
      long leader = c.memberId(4);
      c.moveLeaderTo(4);
      c.setReplicas(3);
      c.awaitConverged(3, Duration.ofSeconds(40));
      assertThat(c.claimExists(3)).isFalse();
      assertThat(c.events("LeaderMoved")).hasSizeGreaterThanOrEqualTo(1);
      assertThat(c.events("MemberRemoved")).anySatisfy(e -> assertThat(e.getMessage()).contains(Long.toHexString(leader)));
      c.setReplicas(1);
      c.awaitConverged(1, Duration.ofSeconds(40));
      assertThat(c.events("MemberRemoved")).hasSize(4);
      assertThat(c.events("VolumeClaimDeleted")).hasSize(4);
      assertThat(c.events("StatefulSetScaled")).hasSize(8);
      assertAtMostOneLearnerAndNoQuorumLoss(c.monitor().since(from));
    }
  }

  @Test
  void a_learner_that_never_catches_up_is_removed_at_its_deadline_and_the_statefulset_shrinks_back() throws Exception {
    try (ClusterFixture c = cluster(1)) {
      c.runner().makeUnschedulable(1);
      c.startOperator();
      c.awaitConverged(1, Duration.ofSeconds(30));
      c.setReplicas(2);
      await().atMost(Duration.ofSeconds(30)).until(() -> !c.events("LearnerRolledBack").isEmpty());
      assertThat(c.events("LearnerRolledBack").get(0).getMessage()).contains("demo-1 did not catch up within 6s");
      await().atMost(Duration.ofSeconds(15)).until(() -> c.statefulSetReplicas() == 1 && !c.claimExists(1));
      assertThat(c.health().voters()).containsExactly("demo-0");
      assertThat(c.health().learners()).isEmpty();
      c.setReplicas(1);
      c.awaitConverged(1, Duration.ofSeconds(20));
    }
  }

  @Test
  void a_member_whose_volume_was_lost_is_replaced_and_one_whose_pod_restarted_is_left_alone() throws Exception {
    try (ClusterFixture c = cluster(3)) {
      c.startOperator();
      c.awaitConverged(3, Duration.ofSeconds(40));
      long lost = c.memberId(2);
      long restarted = c.memberId(1);
      long from = System.currentTimeMillis();
      c.loseVolume(2);
      await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
          .until(() -> c.memberId(2) != lost && c.memberId(2) != 0);
      c.awaitConverged(3, Duration.ofSeconds(40));
      assertThat(c.events("MemberWiped")).hasSize(1);
      long pid = c.runner().pid(1);
      c.deletePod(1);
      await().atMost(Duration.ofSeconds(20)).until(() -> c.runner().pid(1) > 0 && c.runner().pid(1) != pid);
      c.awaitConverged(3, Duration.ofSeconds(30));
      assertThat(c.memberId(1)).isEqualTo(restarted);
      assertThat(c.events("MemberRemoved")).hasSize(1);
      assertThat(HealthMonitor.lastingBelow(c.monitor().since(from), 0)).as("moments without quorum").isEmpty();
    }
  }

  @Test
  void paused_stops_every_change_until_it_is_lifted_and_an_immutable_change_is_refused() throws Exception {
    try (ClusterFixture c = cluster(1)) {
      c.startOperator();
      c.awaitConverged(1, Duration.ofSeconds(30));
      // The mock API server has no CEL: the operator itself refuses the change and applies nothing.
      ConsensusClusterSpec before = c.resource().getSpec();
      c.edit(s -> new ConsensusClusterSpec(3, s.image(), s.version(), s.command(),
          new StorageSpec(new Quantity("2Gi"), null, null), s.resources(), s.pod(), s.store(), s.tls(), s.paused()));
      await().atMost(Duration.ofSeconds(10)).until(() -> c.resource().getStatus().phase() == ClusterPhase.Invalid);
      assertThat(c.resource().getStatus().conditions()).anySatisfy(k -> assertThat(k.getMessage())
          .contains("storage.size is immutable"));
      assertThat(c.statefulSetReplicas()).isEqualTo(1);
      c.edit(s -> before);
      c.setPaused(true);
      c.setReplicas(3);
      await().atMost(Duration.ofSeconds(10)).until(() -> c.resource().getStatus().phase() == ClusterPhase.Paused);
      await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
          .until(() -> c.statefulSetReplicas() == 1 && c.health().voters().size() == 1);
      assertThat(c.events("MemberAdded")).isEmpty();
      c.setPaused(false);
      c.awaitConverged(3, Duration.ofSeconds(40));
    }
  }

  @Test
  void a_replicas_change_in_the_middle_of_a_scale_out_finishes_the_step_then_heads_for_the_new_target()
      throws Exception {
    try (ClusterFixture c = cluster(1)) {
      c.startOperator();
      c.awaitConverged(1, Duration.ofSeconds(30));
      long from = System.currentTimeMillis();
      c.setReplicas(5);
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
          .until(() -> c.health().voters().size() == 2 && c.health().learners().size() == 1);
      c.setReplicas(2);
      c.awaitConverged(2, Duration.ofSeconds(40));
      assertAtMostOneLearnerAndNoQuorumLoss(c.monitor().since(from));
    }
  }

  @Test
  void a_store_option_change_restarts_followers_first_and_the_leader_last_after_handing_over() throws Exception {
    try (ClusterFixture c = cluster(3)) {
      c.startOperator();
      c.awaitConverged(3, Duration.ofSeconds(40));
      String leader = c.health().leader();
      long from = System.currentTimeMillis();
      c.edit(s -> new ConsensusClusterSpec(s.replicas(), s.image(), s.version(), s.command(), s.storage(),
          s.resources(), s.pod(), new StoreOptions(60, 600, null, null, null, null), s.tls(), s.paused()));
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
          .until(() -> c.podsOnCurrentTemplate() && c.health().healthyVoters() == 3);
      c.awaitConverged(3, Duration.ofSeconds(30));
      List<String> steps = c.eventsInOrder(Set.of("MemberRestarted", "LeaderMoved")).stream()
          .map(e -> e.getReason() + " " + e.getMessage()).toList();
      assertThat(steps).hasSize(4);
      assertThat(steps.get(2)).startsWith("LeaderMoved leadership moved from " + leader);
      assertThat(steps.get(3)).startsWith("MemberRestarted " + leader);
      assertThat(HealthMonitor.lastingBelow(c.monitor().since(from), 0)).as("moments without quorum").isEmpty();
    }
  }

  @Test
  void with_quorum_lost_status_names_the_members_down_and_nothing_is_changed_until_they_return() throws Exception {
    try (ClusterFixture c = cluster(3)) {
      c.startOperator();
      c.awaitConverged(3, Duration.ofSeconds(40));
      int added = c.events("MemberAdded").size();
      c.runner().fail(1);
      c.runner().fail(2);
      c.setReplicas(4);
      await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> c.resource().getStatus().conditions()
          .stream().anyMatch(k -> k.getType().equals("Available") && k.getStatus().equals("False")
              && k.getReason().equals("QuorumLost") && k.getMessage().contains("demo-1")
              && k.getMessage().contains("demo-2")));
      assertThat(c.resource().getStatus().phase()).isEqualTo(ClusterPhase.Unavailable);
      assertThat(c.events("MemberAdded")).hasSize(added);
      assertThat(c.events("MemberRemoved")).isEmpty();
      assertThat(c.statefulSetReplicas()).isEqualTo(3);
      c.runner().recover(1);
      c.runner().recover(2);
      c.awaitConverged(4, Duration.ofSeconds(60));
    }
  }

  @Test
  void a_removal_that_would_leave_no_healthy_quorum_is_refused_in_status_and_an_event_until_the_member_returns()
      throws Exception {
    try (ClusterFixture c = cluster(3)) {
      c.startOperator();
      c.awaitConverged(3, Duration.ofSeconds(40));
      c.runner().fail(1);
      c.setReplicas(2);
      // Removing demo-2 would leave demo-0 and demo-1, with demo-1 down: no healthy quorum.
      await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
        var status = c.resource().getStatus();
        return "Refused".equals(status.operation().step())
            && status.conditions().stream().anyMatch(k -> k.getType().equals("Progressing")
                && k.getStatus().equals("True") && k.getMessage().contains("removing demo-2 would leave"));
      });
      assertThat(c.events("StepRefused")).isNotEmpty()
          .allSatisfy(e -> assertThat(e.getMessage()).contains("removing demo-2 would leave"));
      // The same event as one key=value line in the operator's log (simplelogger.properties: this file).
      assertThat(Files.readString(Path.of("target/operator-tests.log")))
          .containsPattern("event cluster=scenario-\\d+/demo type=Warning reason=StepRefused"
              + " message=\"removing demo-2 would leave [^\"]+\"");
      assertThat(c.events("MemberRemoved")).isEmpty();
      assertThat(c.statefulSetReplicas()).isEqualTo(3);
      c.runner().recover(1);
      c.awaitConverged(2, Duration.ofSeconds(60));
      assertThat(c.events("MemberRemoved")).hasSize(1);
    }
  }

  @Test
  void with_tls_the_operator_reaches_its_members_over_https_bootstraps_and_scales_1_to_3() throws Exception {
    try (ClusterFixture c = new ClusterFixture(client, "scenario-" + NAMESPACES.incrementAndGet(), root, 1, true)) {
      c.startOperator();
      c.awaitConverged(1, Duration.ofSeconds(30));
      c.setReplicas(3);
      c.awaitConverged(3, Duration.ofSeconds(40));
      try (GrpcMembershipClient members = new GrpcMembershipClient(Duration.ofSeconds(3), c.clientTls());
          GrpcMembershipClient plaintext = new GrpcMembershipClient(Duration.ofSeconds(3))) {
        String endpoint = c.addressing().clientUrl(c.resource(), "demo-0");
        assertThat(endpoint).startsWith("https://");
        assertThat(members.memberList(endpoint)).hasSize(3).allSatisfy(m -> assertThat(m.peerUrls())
            .allSatisfy(u -> assertThat(u).startsWith("https://")));
        // Without the Secret's certificate nothing gets through.
        assertThatThrownBy(() -> plaintext.memberList(endpoint)).isInstanceOf(MembershipException.class)
            .hasMessageContaining("no client TLS credentials");
      }
      assertThat(c.events("MemberPromoted")).hasSize(2);
    }
  }

  @Test
  void services_and_the_budget_that_drifted_are_restored_keeping_what_the_api_server_assigned() throws Exception {
    try (ClusterFixture c = cluster(1)) {
      c.startOperator();
      c.awaitConverged(1, Duration.ofSeconds(30));
      String ns = c.resource().getMetadata().getNamespace();
      // What a real API server assigns, and someone else's label: both must survive the repair.
      client.services().inNamespace(ns).withName("demo-client").edit(s -> new ServiceBuilder(s)
          .editMetadata().addToLabels("team", "payments").removeFromLabels("app.kubernetes.io/managed-by")
          .endMetadata()
          .editSpec().withClusterIP("10.96.0.7").withSelector(Map.of("app", "other"))
          .editFirstPort().withPort(9999).endPort().endSpec().build());
      client.services().inNamespace(ns).withName("demo").edit(s -> new ServiceBuilder(s)
          .editSpec().withPublishNotReadyAddresses(false).endSpec().build());
      client.policy().v1().podDisruptionBudget().inNamespace(ns).withName("demo").edit(p ->
          new PodDisruptionBudgetBuilder(p).editSpec().withMaxUnavailable(null).withMinAvailable(new IntOrString(1))
              .endSpec().build());

      await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
        Service clientService = client.services().inNamespace(ns).withName("demo-client").get();
        assertThat(clientService.getSpec().getSelector()).isEqualTo(Labels.selector(c.resource()));
        assertThat(clientService.getSpec().getPorts()).singleElement().satisfies(p -> assertThat(p.getPort())
            .isEqualTo(2379));
        assertThat(clientService.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by",
            "consensus-operator");
        assertThat(client.services().inNamespace(ns).withName("demo").get().getSpec().getPublishNotReadyAddresses())
            .isTrue();
        var pdb = client.policy().v1().podDisruptionBudget().inNamespace(ns).withName("demo").get().getSpec();
        assertThat(pdb.getMaxUnavailable()).isEqualTo(new IntOrString(1));
        assertThat(pdb.getMinAvailable()).isNull();
      });
      Service clientService = client.services().inNamespace(ns).withName("demo-client").get();
      assertThat(clientService.getSpec().getClusterIP()).isEqualTo("10.96.0.7");
      assertThat(clientService.getMetadata().getLabels()).containsEntry("team", "payments");
      assertThat(c.events("ObjectRestored")).extracting(e -> e.getMessage())
          .anySatisfy(m -> assertThat(m).startsWith("Service demo-client: metadata.labels, spec.selector, spec.ports"))
          .anySatisfy(m -> assertThat(m).startsWith("Service demo: spec.publishNotReadyAddresses"))
          .anySatisfy(m -> assertThat(m).startsWith("PodDisruptionBudget demo: spec.maxUnavailable"));
      // Once restored, nothing is written again.
      int restored = c.events("ObjectRestored").size();
      await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
          .until(() -> c.events("ObjectRestored").size() == restored);
      // A headless Service that got a cluster IP cannot be fixed in place: it is made anew.
      client.services().inNamespace(ns).withName("demo").edit(s -> new ServiceBuilder(s)
          .editSpec().withClusterIP("10.96.0.9").endSpec().build());
      await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
          .until(() -> "None".equals(client.services().inNamespace(ns).withName("demo").get().getSpec().getClusterIP()));
      assertThat(c.events("ObjectRecreated")).singleElement().satisfies(e -> assertThat(e.getMessage())
          .contains("Service demo had the wrong spec.clusterIP (10.96.0.9)"));
    }
  }

  static void assertAtMostOneLearnerAndNoQuorumLoss(List<HealthMonitor.Sample> samples) {
    assertThat(samples).isNotEmpty();
    assertThat(samples).allSatisfy(s -> assertThat(s.learners()).as("learners at %d", s.atMs())
        .hasSizeLessThanOrEqualTo(1));
    assertThat(HealthMonitor.lastingBelow(samples, 0)).as("moments without quorum").isEmpty();
  }
}
