package dev.consensus.operator.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.consensus.crd.OperationKind;
import dev.consensus.operator.harness.ClusterFixture;
import dev.consensus.operator.harness.TestOperator;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two operator replicas against one mock API server (CRUD mode keeps the coordination.k8s.io Lease
 * they compete for), with real etcd processes behind it: one reconciles, the other waits; when the
 * holder stops, the other takes the lease and carries a pending replicas change through.
 */
@EnableKubernetesMockClient(crud = true)
class LeaderElectionTest {

  static KubernetesClient client;
  static KubernetesMockServer server;
  private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  static {
    MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
  }

  @TempDir
  Path root;

  @BeforeAll
  static void installCrdAndGrantLeases() throws Exception {
    try (InputStream in = Files.newInputStream(Path.of("../helm/consensus-operator/crds/consensusclusters.consensus.dev-v1.yml"))) {
      client.resource(client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class)).create();
    }
    // java-operator-sdk asks the API server whether it may use Leases before it competes; the CRUD mock
    // would echo the review back without an answer, so this one answers: yes, every verb.
    server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
        .andReturn(201, new SelfSubjectRulesReviewBuilder().withNewStatus().withIncomplete(false)
            .addNewResourceRule().withApiGroups("coordination.k8s.io").withResources("leases")
              .withVerbs("*", "get", "list", "watch", "create", "update", "patch", "delete").endResourceRule()
            .endStatus().build())
        .always();
  }

  @Test
  void of_two_replicas_only_the_lease_holder_reconciles_and_the_other_takes_over_when_it_stops() throws Exception {
    String ns = "election";
    try (ClusterFixture c = new ClusterFixture(client, ns, root, 1);
        TestOperator a = new TestOperator(client, ns, c.addressing(), ClusterFixture.CONFIG, step -> false,
            election(ns, "replica-a"));
        TestOperator b = new TestOperator(client, ns, c.addressing(), ClusterFixture.CONFIG, step -> false,
            election(ns, "replica-b"))) {
      c.awaitConverged(1, Duration.ofSeconds(60));
      String holder = holder(ns);
      TestOperator leader = "replica-a".equals(holder) ? a : b;
      TestOperator standby = leader == a ? b : a;
      assertThat(leader.reconciles()).isPositive();
      assertThat(standby.reconciles()).as("reconciles of the replica without the lease").isZero();
      assertThat(leader.stoppedLeading()).isFalse();

      leader.close();
      c.setReplicas(2);
      // Status is patched at each step: the scale-out shows in it while it runs, then goes.
      await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
          .until(() -> c.resource().getStatus().operation().kind() == OperationKind.ScaleOut);
      c.awaitConverged(2, Duration.ofSeconds(60));
      assertThat(standby.reconciles()).isPositive();
      // The new holder's metrics count the membership steps it took, each with its time.
      assertThat(standby.metrics().scrape())
          .contains("consensus_operator_membership_operations_total{step=\"AddLearner\"} 1")
          .contains("consensus_operator_membership_operations_total{step=\"Promote\"} 1")
          .contains("consensus_operator_membership_operation_duration_seconds_count{step=\"Promote\"} 1");
      await().atMost(Duration.ofSeconds(5)).until(() -> !holder.equals(holder(ns)));
      assertThat(holder(ns)).isEqualTo(leader == a ? "replica-b" : "replica-a");
    }
  }

  /**
   * Timings short enough for a takeover within the test (the stopped holder does not release the
   * lease: the other waits for it to expire) and long enough that a holder starved of CPU on a busy
   * machine still renews in time. No exit on losing the lease: both replicas share this JVM
   * (TestOperator stops instead; OperatorMain keeps java-operator-sdk's default, which exits).
   */
  private static LeaderElectionConfiguration election(String ns, String identity) {
    return LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration("consensus-operator")
        .withLeaseNamespace(ns).withIdentity(identity).withLeaseDuration(Duration.ofSeconds(10))
        .withRenewDeadline(Duration.ofSeconds(8)).withRetryPeriod(Duration.ofSeconds(1))
        .withExitOnStopLeading(false).build();
  }

  private static String holder(String ns) {
    Lease lease = client.resources(Lease.class).inNamespace(ns).withName("consensus-operator").get();
    return lease == null ? null : lease.getSpec().getHolderIdentity();
  }
}
