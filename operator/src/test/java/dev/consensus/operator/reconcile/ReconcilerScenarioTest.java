package dev.consensus.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.consensus.operator.harness.ClusterFixture;
import dev.consensus.operator.harness.HealthMonitor;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
    try (InputStream in = Files.newInputStream(Path.of("../helm/crds/consensusclusters.consensus.dev-v1.yml"))) {
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
      assertAtMostOneLearnerAndNoQuorumLoss(c.monitor().since(from));
      c.setReplicas(5);
      c.awaitConverged(5, Duration.ofSeconds(40));
      c.setReplicas(3);
      c.awaitConverged(3, Duration.ofSeconds(40));
      assertThat(c.claimExists(3)).isFalse();
      c.setReplicas(1);
      c.awaitConverged(1, Duration.ofSeconds(40));
      assertThat(c.events("MemberRemoved")).hasSize(4);
      assertAtMostOneLearnerAndNoQuorumLoss(c.monitor().since(from));
    }
  }

  static void assertAtMostOneLearnerAndNoQuorumLoss(List<HealthMonitor.Sample> samples) {
    assertThat(samples).isNotEmpty();
    assertThat(samples).allSatisfy(s -> {
      assertThat(s.learners()).as("learners at %d", s.atMs()).hasSizeLessThanOrEqualTo(1);
      assertThat(s.available()).as("available at %d: %s", s.atMs(), s).isTrue();
    });
  }
}
