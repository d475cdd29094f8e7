package dev.consensus.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.consensus.operator.harness.ClusterFixture;
import dev.consensus.operator.harness.HealthMonitor;
import dev.consensus.operator.harness.TestOperator;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator killed between steps: for every step boundary of a scale-out and a scale-in, an operator
 * instance stops right after that step (before even recording it in status) and a new one takes over;
 * the cluster converges and no observed moment has a lower failure tolerance than before and after.
 * Then a seeded property run: random replicas edits with random operator restarts.
 *
 * <p>Seeds: {@code -Doperator.seed=S -Doperator.seeds=N} runs seeds S..S+N-1 (default one seed, 1);
 * {@code -Doperator.edits=E} edits per seed (default 3). Each seed is printed before it runs.
 */
@EnableKubernetesMockClient(crud = true)
class CrashSafetyTest {

  static KubernetesClient client;
  private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");
  private static final AtomicInteger NAMESPACES = new AtomicInteger();

  static {
    MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
  }

  @TempDir
  Path root;

  @BeforeAll
  static void installCrd() throws Exception {
    try (InputStream in = Files.newInputStream(Path.of("../helm/consensus-operator/crds/consensusclusters.consensus.dev-v1.yml"))) {
      client.resource(client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class)).create();
    }
  }

  private record Boundary(String name, Predicate<Step> crashAfter) {
  }

  /**
   * WriteJoiningConfig first: later rounds add the same member at the same URL again, so the ConfigMap
   * already holds the membership they need and that step is (rightly) skipped.
   */
  private static final List<Boundary> SCALE_OUT = List.of(
      new Boundary("WriteJoiningConfig", s -> s instanceof Step.WriteJoiningConfig),
      new Boundary("AddLearner", s -> s instanceof Step.AddLearner),
      new Boundary("GrowStatefulSet", s -> s instanceof Step.ScaleStatefulSet g && g.replicas() == 4),
      new Boundary("MarkClaim", s -> s instanceof Step.MarkClaim),
      new Boundary("Promote", s -> s instanceof Step.Promote));

  private static final List<Boundary> SCALE_IN = List.of(
      new Boundary("MoveLeader", s -> s instanceof Step.MoveLeader),
      new Boundary("RemoveMember", s -> s instanceof Step.RemoveMember),
      new Boundary("ShrinkStatefulSet", s -> s instanceof Step.ScaleStatefulSet g && g.replicas() == 3),
      new Boundary("DeleteClaim", s -> s instanceof Step.DeleteClaim));

  @Test
  void an_operator_killed_after_any_step_of_a_scale_out_or_scale_in_is_replaced_and_the_cluster_converges()
      throws Exception {
    try (ClusterFixture c = new ClusterFixture(client, "crash-" + NAMESPACES.incrementAndGet(), root, 3)) {
      c.startOperator();
      c.awaitConverged(3, Duration.ofSeconds(40));
      for (int i = 0; i < SCALE_OUT.size(); i++) {
        long from = System.currentTimeMillis();
        crashThenRecover(c, SCALE_OUT.get(i), 4);
        if (i < SCALE_IN.size()) {
          if (SCALE_IN.get(i).name().equals("MoveLeader")) {
            c.moveLeaderTo(3);
          }
          crashThenRecover(c, SCALE_IN.get(i), 3);
        }
        // 3 and 4 voters both tolerate one failure: no moment may tolerate fewer.
        assertToleranceAtLeast(c.monitor().since(from), 1);
      }
    }
  }

  private static void crashThenRecover(ClusterFixture c, Boundary boundary, int replicas) throws Exception {
    TestOperator crashing = c.startOperator(boundary.crashAfter());
    c.setReplicas(replicas);
    Step step = crashing.awaitCrash(Duration.ofSeconds(40));
    assertThat(step).as("the operator reached the boundary after %s", boundary.name()).isNotNull();
    c.startOperator();
    c.awaitConverged(replicas, Duration.ofSeconds(40));
  }

  @Test
  void random_replicas_edits_with_random_operator_restarts_converge_and_never_lose_quorum() throws Exception {
    long first = Long.getLong("operator.seed", 1);
    long seeds = Long.getLong("operator.seeds", 1);
    int edits = Integer.getInteger("operator.edits", 3);
    for (long seed = first; seed < first + seeds; seed++) {
      System.out.println("CrashSafetyTest property seed=" + seed + " edits=" + edits
          + " (rerun: -Doperator.seed=" + seed + " -Doperator.seeds=1)");
      runSeed(seed, edits);
    }
  }

  private void runSeed(long seed, int edits) throws Exception {
    Random random = new Random(seed);
    int replicas = 1 + random.nextInt(3);
    try (ClusterFixture c = new ClusterFixture(client, "prop-" + NAMESPACES.incrementAndGet(), root, replicas)) {
      c.startOperator();
      c.awaitConverged(replicas, Duration.ofSeconds(40));
      for (int e = 0; e < edits; e++) {
        int target = 1 + random.nextInt(7);
        boolean restart = random.nextBoolean();
        long restartAfterMs = random.nextInt(3000);
        System.out.println("  seed=" + seed + " edit " + (e + 1) + ": replicas " + replicas + " -> " + target
            + (restart ? ", operator restarted after " + restartAfterMs + " ms" : ""));
        long from = System.currentTimeMillis();
        c.setReplicas(target);
        if (restart) {
          Thread.sleep(restartAfterMs);
          c.startOperator();
        }
        c.awaitConverged(target, Duration.ofSeconds(90));
        assertToleranceAtLeast(c.monitor().since(from), Math.min(tolerance(replicas), tolerance(target)));
        replicas = target;
      }
    }
  }

  private static int tolerance(int voters) {
    return voters - (voters / 2 + 1);
  }

  private static void assertToleranceAtLeast(List<HealthMonitor.Sample> samples, int bound) {
    assertThat(samples).isNotEmpty();
    assertThat(HealthMonitor.lastingBelow(samples, bound)).as("moments with quorum lost or failure tolerance below %d",
        bound).isEmpty();
  }
}
