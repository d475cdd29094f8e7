package dev.consensus.operator.reconcile;

import dev.consensus.crd.ConsensusCluster;
import dev.consensus.crd.ConsensusClusterStatus;
import dev.consensus.crd.validation.ChangeValidator;
import dev.consensus.crd.validation.SpecValidator;
import dev.consensus.crd.validation.SpecViolation;
import dev.consensus.operator.health.ClusterHealth;
import dev.consensus.operator.health.ClusterStatusModel;
import dev.consensus.operator.members.ClientTls;
import dev.consensus.operator.members.MembershipClient;
import dev.consensus.operator.members.MembershipException;
import dev.consensus.operator.model.ClusterNames;
import dev.consensus.operator.model.MemberAddressing;
import dev.consensus.operator.model.StoreFlags;
import dev.consensus.operator.runtime.OperatorMetrics;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ConsensusCluster reconciler. Each reconcile:
 * <ol>
 *   <li>validates the spec (a bad spec is reported in status and nothing is applied);</li>
 *   <li>creates the Services and the PodDisruptionBudget when missing, restores them when they drifted;</li>
 *   <li>observes the cluster: its objects in the API server, the member list, every member's status;</li>
 *   <li>plans one step from that observation alone ({@link Planner});</li>
 *   <li>executes it ({@link StepExecutor}) and records it in metrics and events;</li>
 *   <li>patches status: members table, the operation and its step, conditions;</li>
 *   <li>asks to be called again soon while anything is in progress.</li>
 * </ol>
 * Nothing is remembered between reconciles except what status holds, so a new operator (after a crash,
 * or a new leader of several replicas) continues where the last one stopped.
 */
@ControllerConfiguration(name = ConsensusClusterReconciler.NAME,
    maxReconciliationInterval = @MaxReconciliationInterval(interval = 1, timeUnit = TimeUnit.MINUTES))
public class ConsensusClusterReconciler implements Reconciler<ConsensusCluster> {

  public static final String NAME = "consensuscluster";
  private static final Logger LOG = LoggerFactory.getLogger(ConsensusClusterReconciler.class);

  private final KubernetesClient client;
  private final MembershipClient members;
  private final MemberAddressing addressing;
  private final OwnedObjects owned;
  private final ClusterObserver observer;
  private final Planner planner;
  private final StepExecutor executor;
  private final ReconcilerConfig config;
  private final OperatorMetrics metrics;
  private final Clock clock;

  public ConsensusClusterReconciler(KubernetesClient client, MembershipClient members, MemberAddressing addressing,
      ReconcilerConfig config, OperatorMetrics metrics, Clock clock, StepExecutor executor) {
    this.client = client;
    this.members = members;
    this.addressing = addressing;
    this.owned = new OwnedObjects(client, new ClusterEvents(client, clock));
    this.observer = new ClusterObserver(client, members, addressing, clock);
    this.planner = new Planner(config);
    this.executor = executor;
    this.config = config;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** The reconciler with the standard executor. */
  public static ConsensusClusterReconciler create(KubernetesClient client, MembershipClient members,
      MemberAddressing addressing, ReconcilerConfig config, OperatorMetrics metrics, Clock clock) {
    return new ConsensusClusterReconciler(client, members, addressing, config, metrics, clock,
        new StepExecutor(client, members, addressing, new ClusterEvents(client, clock)));
  }

  @Override
  public UpdateControl<ConsensusCluster> reconcile(ConsensusCluster cluster, Context<ConsensusCluster> context) {
    metrics.reconciled();
    // Logged as kubectl names objects, so one key finds a cluster's lines whatever the namespace.
    String name = ClusterEvents.logName(cluster);
    List<SpecViolation> violations = new ArrayList<>(SpecValidator.validate(cluster));
    violations.addAll(ChangeValidator.validateChange(AppliedSpec.read(client, cluster), cluster.getSpec()));
    if (!violations.isEmpty()) {
      LOG.warn("invalid spec cluster={} violations=\"{}\"", name, violations);
      patchStatus(cluster, ClusterStatusModel.status(cluster, ClusterHealth.compute(List.of(), Map.of()),
          cluster.getStatus() == null ? null : cluster.getStatus().operation(), violations, cluster.getStatus(),
          clock.instant()));
      return UpdateControl.<ConsensusCluster>noUpdate().rescheduleAfter(config.requeue().multipliedBy(4));
    }
    try {
      boolean paused = cluster.getSpec().isPaused();
      if (!paused) {
        owned.ensure(cluster);
      }
      if (StoreFlags.clientTls(cluster.getSpec())) {
        useClientTls(cluster);
      }
      ClusterState state = observer.observe(cluster);
      Plan plan = planner.plan(state);
      if (!paused) {
        executor.syncTemplate(state);
      }
      long start = System.nanoTime();
      boolean changed = executor.execute(state, plan);
      if (changed) {
        metrics.membershipOperation(plan.step().getClass().getSimpleName(), Duration.ofNanos(System.nanoTime() - start));
      }
      LOG.info("reconciled cluster={} step={} operation={} voters={} learners={} leader={} tolerance={}", name,
          plan.step(), plan.operation() == null ? "none" : plan.operation().kind() + "/" + plan.operation().step(),
          state.health().voters(), state.health().learners(), state.health().leader(),
          state.health().failureTolerance());
      patchStatus(cluster, ClusterStatusModel.status(cluster, state.health(), plan.operation(), violations,
          cluster.getStatus(), clock.instant()));
      boolean idle = plan.operation() == null && plan.step() instanceof Step.Wait;
      return UpdateControl.<ConsensusCluster>noUpdate()
          .rescheduleAfter(idle ? config.requeue().multipliedBy(4) : changed ? Duration.ofMillis(50)
              : config.requeue());
    } catch (MembershipException | KubernetesClientException e) {
      // A member refused or did not answer, or the API server failed: look again soon, from scratch.
      metrics.reconcileFailed();
      LOG.warn("step failed cluster={} error=\"{}\"", name, e.getMessage());
      return UpdateControl.<ConsensusCluster>noUpdate().rescheduleAfter(config.requeue());
    } catch (RuntimeException e) {
      // Anything else is a bug, but the next reconcile starts from a fresh observation all the same:
      // keep looking rather than leave the cluster to the framework's retry limit.
      metrics.reconcileFailed();
      LOG.error("reconcile failed cluster={} error=\"{}\"", name, e.toString(), e);
      return UpdateControl.<ConsensusCluster>noUpdate().rescheduleAfter(config.requeue());
    }
  }

  /**
   * Reads the client TLS Secret afresh at every reconcile, so a rotated certificate is used from the
   * next call on, and hands it to the membership client for each member URL this cluster may have.
   */
  private void useClientTls(ConsensusCluster cluster) {
    ClientTls tls = TlsSecrets.client(client, cluster);
    ClusterNames names = ClusterNames.of(cluster);
    for (int i = 0; i < ClusterObserver.MAX_ORDINALS; i++) {
      members.useTls(addressing.clientUrl(cluster, names.member(i)), tls);
    }
  }

  /**
   * Replaces the whole status in one JSON patch ({@code add /status}), so no reader sees half of one
   * observation, a finished operation disappears, and lists are replaced rather than merged.
   */
  private void patchStatus(ConsensusCluster cluster, ConsensusClusterStatus status) {
    String patch = Serialization.asJson(List.of(Map.of("op", "add", "path", "/status", "value", status)));
    client.resources(ConsensusCluster.class).inNamespace(cluster.getMetadata().getNamespace())
        .withName(cluster.getMetadata().getName()).subresource("status")
        .patch(PatchContext.of(PatchType.JSON), patch);
  }
}
