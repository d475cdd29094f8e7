package dev.consensus.operator.harness;

import static org.awaitility.Awaitility.await;

import dev.consensus.crd.ConsensusCluster;
import dev.consensus.crd.ConsensusClusterSpec;
import dev.consensus.crd.StorageSpec;
import dev.consensus.crd.StoreOptions;
import dev.consensus.crd.TlsSpec;
import dev.consensus.operator.health.ClusterHealth;
import dev.consensus.operator.health.MemberInfo;
import dev.consensus.operator.members.ClientTls;
import dev.consensus.operator.members.GrpcMembershipClient;
import dev.consensus.operator.members.MembershipException;
import dev.consensus.operator.reconcile.ReconcilerConfig;
import dev.consensus.operator.reconcile.Step;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * One ConsensusCluster in its own namespace of the mock API server, with a pod runner running its
 * members as real etcd processes on their own loopback addresses, a health monitor, and the operator
 * instance of the moment. Scenario tests talk to this.
 */
public final class ClusterFixture implements AutoCloseable {

  public static final String NAME = "demo";
  /** The Secret with tls.crt, tls.key and ca.crt when the fixture runs with TLS. */
  public static final String TLS_SECRET = "demo-tls";

  /** Short waits for tests: a learner must hold caught-up for 0.4 s and gets 6 s to catch up. */
  public static final ReconcilerConfig CONFIG = new ReconcilerConfig(20, Duration.ofMillis(400),
      Duration.ofSeconds(6), Duration.ofSeconds(2), Duration.ofMillis(300), Duration.ofMillis(800));

  private final KubernetesClient client;
  private final String namespace;
  private final LoopbackAddressing addressing;
  private final ClientTls clientTls;
  private final PodRunner runner;
  private final HealthMonitor monitor;
  private TestOperator operator;

  public ClusterFixture(KubernetesClient client, String namespace, Path root, int replicas) {
    this(client, namespace, root, replicas, false);
  }

  /**
   * With {@code tls}, a CA and one certificate for every member's loopback address are made and
   * stored in the Secret {@link #TLS_SECRET}, which the spec names for both client and peer TLS.
   */
  public ClusterFixture(KubernetesClient client, String namespace, Path root, int replicas, boolean tls) {
    this.client = client;
    this.namespace = namespace;
    // A /24 of loopback addresses of its own, so parallel helpers and earlier runs do not collide.
    this.addressing = new LoopbackAddressing("127.61." + ThreadLocalRandom.current().nextInt(1, 255));
    this.clientTls = tls ? tlsSecret(client, namespace, root, addressing) : null;
    ConsensusCluster cluster = new ConsensusCluster();
    cluster.setMetadata(new ObjectMetaBuilder().withName(NAME).withNamespace(namespace).build());
    cluster.setSpec(spec(replicas, false, tls ? new TlsSpec(TLS_SECRET, TLS_SECRET) : null));
    ConsensusCluster created = client.resource(cluster).create();
    this.runner = new PodRunner(client, namespace, NAME, addressing, root);
    this.monitor = new HealthMonitor(created, addressing, clientTls);
  }

  private static ConsensusClusterSpec spec(int replicas, boolean paused, TlsSpec tls) {
    return new ConsensusClusterSpec(replicas, null, null, List.of("/usr/bin/etcd"),
        new StorageSpec(new Quantity("1Gi"), null, null), null, null,
        new StoreOptions(50, 500, null, null, null, null), tls, paused);
  }

  private static ClientTls tlsSecret(KubernetesClient client, String namespace, Path root,
      LoopbackAddressing addressing) {
    // etcd with --peer-client-cert-auth checks a peer's certificate against the address it connects
    // from; between loopback addresses that is 127.0.0.1, not the member's own address (a pod's is).
    List<String> ips = new java.util.ArrayList<>(List.of("127.0.0.1"));
    for (int i = 0; i < 8; i++) {
      ips.add(addressing.host(i));
    }
    ClientTls tls = TestTls.issue(root.resolve("secrets").resolve("pki"), ips,
        List.of("*." + NAME + "." + namespace + ".svc"));
    java.util.Base64.Encoder b64 = java.util.Base64.getEncoder();
    client.resource(new SecretBuilder().withNewMetadata().withName(TLS_SECRET).withNamespace(namespace).endMetadata()
        .withType("kubernetes.io/tls")
        .addToData("tls.crt", b64.encodeToString(tls.certificateChain().getBytes(StandardCharsets.US_ASCII)))
        .addToData("tls.key", b64.encodeToString(tls.privateKey().getBytes(StandardCharsets.US_ASCII)))
        .addToData("ca.crt", b64.encodeToString(tls.trustedCa().getBytes(StandardCharsets.US_ASCII)))
        .build()).create();
    return tls;
  }

  /** The client credentials the test's own clients show, null without TLS. */
  public ClientTls clientTls() {
    return clientTls;
  }

  public void startOperator() {
    startOperator(step -> false);
  }

  /** An operator that crashes right after the first executed step matching {@code crashAfter}. */
  public TestOperator startOperator(Predicate<Step> crashAfter) {
    stopOperator();
    operator = new TestOperator(client, namespace, addressing, CONFIG, crashAfter);
    return operator;
  }

  public void stopOperator() {
    if (operator != null) {
      operator.close();
      operator = null;
    }
  }

  public ConsensusCluster resource() {
    return client.resources(ConsensusCluster.class).inNamespace(namespace).withName(NAME).get();
  }

  /**
   * Replaces the spec with a JSON patch (no resourceVersion, so no conflict with the operator's status
   * patches; not a merge patch, which the mock server applies to lists by appending).
   */
  public void edit(UnaryOperator<ConsensusClusterSpec> change) {
    ConsensusClusterSpec spec = change.apply(resource().getSpec());
    client.resources(ConsensusCluster.class).inNamespace(namespace).withName(NAME)
        .patch(PatchContext.of(PatchType.JSON), Serialization.asJson(
            List.of(java.util.Map.of("op", "replace", "path", "/spec", "value", spec))));
  }

  public void setReplicas(int replicas) {
    edit(s -> new ConsensusClusterSpec(replicas, s.image(), s.version(), s.command(), s.storage(), s.resources(),
        s.pod(), s.store(), s.tls(), s.paused()));
  }

  public void setPaused(boolean paused) {
    edit(s -> new ConsensusClusterSpec(s.replicas(), s.image(), s.version(), s.command(), s.storage(), s.resources(),
        s.pod(), s.store(), s.tls(), paused));
  }

  public ClusterHealth health() {
    return monitor.observe();
  }

  public HealthMonitor monitor() {
    return monitor;
  }

  public PodRunner runner() {
    return runner;
  }

  public LoopbackAddressing addressing() {
    return addressing;
  }

  public int statefulSetReplicas() {
    StatefulSet sts = client.apps().statefulSets().inNamespace(namespace).withName(NAME).get();
    return sts == null ? 0 : sts.getSpec().getReplicas();
  }

  public List<Event> events(String reason) {
    return client.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> reason.equals(e.getReason())).toList();
  }

  /** The member ID of member {@code ordinal} in the member list, or 0 when it is not listed. */
  public long memberId(int ordinal) {
    String url = addressing.peerUrl(resource(), NAME + "-" + ordinal);
    try (GrpcMembershipClient members = new GrpcMembershipClient(Duration.ofSeconds(2), clientTls)) {
      for (int i = 0; i < 8; i++) {
        try {
          return members.memberList(addressing.clientUrl(resource(), NAME + "-" + i)).stream()
              .filter(m -> m.peerUrls().contains(url)).mapToLong(MemberInfo::id).findFirst().orElse(0L);
        } catch (MembershipException e) {
          // ask the next member
        }
      }
    }
    return 0;
  }

  /** Hands leadership to member {@code ordinal} through the current leader, as etcdctl move-leader does. */
  public void moveLeaderTo(int ordinal) {
    long target = memberId(ordinal);
    await().atMost(Duration.ofSeconds(15)).ignoreExceptions().until(() -> {
      ClusterHealth h = health();
      if (h.leader() != null && !h.leader().equals(NAME + "-" + ordinal)) {
        try (GrpcMembershipClient members = new GrpcMembershipClient(Duration.ofSeconds(3), clientTls)) {
          members.moveLeader(addressing.clientUrl(resource(), h.leader()), target);
        }
      }
      return (NAME + "-" + ordinal).equals(health().leader());
    });
  }

  /** The member's volume is lost: its claim and pod are deleted; the StatefulSet makes both anew, empty. */
  public void loseVolume(int ordinal) {
    client.persistentVolumeClaims().inNamespace(namespace).withName("data-" + NAME + "-" + ordinal).delete();
    client.pods().inNamespace(namespace).withName(NAME + "-" + ordinal).delete();
  }

  public void deletePod(int ordinal) {
    client.pods().inNamespace(namespace).withName(NAME + "-" + ordinal).delete();
  }

  /** Events of these reasons in the order they were emitted (the last part of an event's name is a sequence). */
  public List<Event> eventsInOrder(java.util.Set<String> reasons) {
    return client.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> reasons.contains(e.getReason()))
        .sorted(java.util.Comparator.comparingLong(e -> Long.parseLong(e.getMetadata().getName()
            .substring(e.getMetadata().getName().lastIndexOf('.') + 1))))
        .toList();
  }

  /** Whether every member pod was made from the StatefulSet's current template. */
  public boolean podsOnCurrentTemplate() {
    StatefulSet sts = client.apps().statefulSets().inNamespace(namespace).withName(NAME).get();
    String hash = sts.getSpec().getTemplate().getMetadata().getAnnotations().get("consensus.dev/template-hash");
    var pods = client.pods().inNamespace(namespace).list().getItems();
    return pods.size() == sts.getSpec().getReplicas() && pods.stream()
        .allMatch(p -> hash.equals(p.getMetadata().getAnnotations().get("consensus.dev/template-hash")));
  }

  public boolean claimExists(int ordinal) {
    return client.persistentVolumeClaims().inNamespace(namespace).withName("data-" + NAME + "-" + ordinal).get()
        != null;
  }

  /**
   * Waits until the members are {@code voters} healthy voters and no learner, the StatefulSet has as
   * many replicas, no claim is left past them, and status shows no operation in progress.
   */
  public void awaitConverged(int voters, Duration bound) {
    await().atMost(bound).pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() -> {
      if (runner.failure() != null) {
        throw new AssertionError("pod runner failed", runner.failure());
      }
      ClusterHealth h = health();
      ConsensusCluster c = resource();
      return h != null && h.available() && h.voters().size() == voters && h.learners().isEmpty()
          && h.healthyVoters() == voters && statefulSetReplicas() == voters && !claimExists(voters)
          && c.getStatus() != null && c.getStatus().operation() == null
          && Integer.valueOf(voters).equals(c.getStatus().readyMembers())
          && c.getStatus().members().size() == voters && c.getStatus().voters().size() == voters;
    });
  }

  @Override
  public void close() throws Exception {
    stopOperator();
    monitor.close();
    runner.close();
  }
}
