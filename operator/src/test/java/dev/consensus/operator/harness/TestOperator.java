package dev.consensus.operator.harness;

import dev.consensus.operator.members.GrpcMembershipClient;
import dev.consensus.operator.reconcile.ClusterEvents;
import dev.consensus.operator.reconcile.ClusterState;
import dev.consensus.operator.reconcile.ConsensusClusterReconciler;
import dev.consensus.operator.reconcile.Plan;
import dev.consensus.operator.reconcile.ReconcilerConfig;
import dev.consensus.operator.reconcile.Step;
import dev.consensus.operator.reconcile.StepExecutor;
import dev.consensus.operator.runtime.OperatorMetrics;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One operator instance on the mock API server, watching one namespace. It can be made to "crash"
 * right after a chosen step: that step is executed, then this instance does nothing more (not even the
 * status patch of that step), as if its process died there; the test stops it and starts another.
 */
public final class TestOperator implements AutoCloseable {

  /** Thrown by a crashed instance instead of doing anything. */
  static final class Crashed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Crashed() {
      super("this operator instance crashed (test)");
    }
  }

  private final Operator operator;
  private final GrpcMembershipClient members;
  private final OperatorMetrics metrics = new OperatorMetrics();
  private final CountDownLatch crashed = new CountDownLatch(1);
  private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
  private volatile Step crashedAfter;
  private volatile boolean stoppedLeading;

  public TestOperator(KubernetesClient client, String namespace, LoopbackAddressing addressing,
      ReconcilerConfig config, Predicate<Step> crashAfter) {
    this(client, namespace, addressing, config, crashAfter, null);
  }

  /**
   * An instance that, when {@code leaderElection} is not null, competes for that Lease and reconciles
   * only while it holds it, as one of several operator replicas does. An instance that loses the
   * lease stops, as OperatorMain's process exits then (java-operator-sdk would otherwise keep
   * reconciling in a process configured not to exit, and several replicas share this JVM).
   */
  public TestOperator(KubernetesClient client, String namespace, LoopbackAddressing addressing,
      ReconcilerConfig config, Predicate<Step> crashAfter, LeaderElectionConfiguration leaderElection) {
    members = new GrpcMembershipClient(config.callTimeout());
    Clock clock = Clock.systemUTC();
    StepExecutor executor = new StepExecutor(client, members, addressing, new ClusterEvents(client, clock)) {
      @Override
      public boolean execute(ClusterState s, Plan plan) {
        if (crashed.getCount() == 0) {
          throw new Crashed();
        }
        boolean changed = super.execute(s, plan);
        if (changed && crashAfter.test(plan.step())) {
          crashedAfter = plan.step();
          crashed.countDown();
          throw new Crashed();
        }
        return changed;
      }
    };
    operator = new Operator(o -> {
      o.withKubernetesClient(client).withCloseClientOnStop(false)
          .checkingCRDAndValidateLocalModel(false).withUseSSAToPatchPrimaryResource(false)
          .withReconciliationTerminationTimeout(Duration.ofSeconds(5));
      if (leaderElection != null) {
        o.withLeaderElectionConfiguration(stoppingOnLoss(leaderElection));
      }
    });
    operator.register(new ConsensusClusterReconciler(client, members, addressing, config, metrics,
        clock, executor), o -> o.settingNamespaces(namespace));
    operator.start();
  }

  private LeaderElectionConfiguration stoppingOnLoss(LeaderElectionConfiguration c) {
    LeaderCallbacks callbacks = new LeaderCallbacks(() -> { }, () -> {
      stoppedLeading = true;
      // Not on the elector's own thread, which stopping the operator waits for.
      Thread.ofPlatform().daemon().name("test-operator-stop").start(this::close);
    }, leader -> { });
    return new LeaderElectionConfiguration(c.getLeaseName(), c.getLeaseNamespace().orElse(null), c.getLeaseDuration(),
        c.getRenewDeadline(), c.getRetryPeriod(), c.getIdentity().orElse(null), callbacks, false);
  }

  /** Whether this instance held the lease and lost it (and so stopped). */
  public boolean stoppedLeading() {
    return stoppedLeading;
  }

  /** Waits (bounded) for the crash point; returns the step after which it crashed, or null if it never came. */
  public Step awaitCrash(Duration bound) throws InterruptedException {
    return crashed.await(bound.toMillis(), TimeUnit.MILLISECONDS) ? crashedAfter : null;
  }

  /** This instance's metrics, as its /metrics endpoint would serve them. */
  public OperatorMetrics metrics() {
    return metrics;
  }

  /** The reconciles this instance ran (none while another instance holds the lease). */
  public long reconciles() {
    return metrics.reconciles();
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    operator.stop();
    members.close();
  }
}
