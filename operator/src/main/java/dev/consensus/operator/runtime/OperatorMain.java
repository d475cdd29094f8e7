package dev.consensus.operator.runtime;

import dev.consensus.operator.members.GrpcMembershipClient;
import dev.consensus.operator.model.MemberAddressing;
import dev.consensus.operator.reconcile.ConsensusClusterReconciler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's process: one reconciler for ConsensusClusters, leader election so that of several
 * replicas one acts at a time, and the probe and metrics port.
 */
public final class OperatorMain {

  private static final Logger LOG = LoggerFactory.getLogger(OperatorMain.class);

  private OperatorMain() {
  }

  public static void main(String[] args) throws Exception {
    OperatorOptions options;
    try {
      options = OperatorOptions.parse(Arrays.asList(args));
    } catch (IllegalArgumentException e) {
      System.err.println("consensus-operator: " + e.getMessage());
      System.exit(2);
      return;
    }
    KubernetesClient client = new KubernetesClientBuilder().build();
    OperatorMetrics metrics = new OperatorMetrics();
    GrpcMembershipClient members = new GrpcMembershipClient(options.reconciler().callTimeout());
    Operator operator = new Operator(o -> {
      o.withKubernetesClient(client).withUseSSAToPatchPrimaryResource(false);
      if (options.leaderElection()) {
        LeaseTiming lease = options.leaseTiming();
        o.withLeaderElectionConfiguration(new LeaderElectionConfiguration(options.leaseName(),
            options.leaseNamespace(), lease.duration(), lease.renewDeadline(), lease.retryPeriod()));
      }
    });
    operator.register(ConsensusClusterReconciler.create(client, members, MemberAddressing.DNS, options.reconciler(),
        metrics, Clock.systemUTC()), c -> {
          if (!options.watchNamespaces().isEmpty()) {
            c.settingNamespaces(options.watchNamespaces());
          }
        });
    ProbeServer probes = new ProbeServer(new InetSocketAddress(options.probePort()),
        () -> operator.getRuntimeInfo().isStarted() && operator.getRuntimeInfo().allEventSourcesAreHealthy(), metrics);
    operator.installShutdownHook(Duration.ofSeconds(10));
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      probes.close();
      members.close();
    }, "operator-close"));
    operator.start();
    LOG.info("operator started probePort={} leaderElection={} lease={} namespaces={} reconciler={}", probes.port(),
        options.leaderElection(), options.leaseName(),
        options.watchNamespaces().isEmpty() ? "all" : options.watchNamespaces(), options.reconciler());
  }
}
