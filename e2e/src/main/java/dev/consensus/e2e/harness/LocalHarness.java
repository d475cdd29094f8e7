package dev.consensus.e2e.harness;

import dev.consensus.crd.ConsensusCluster;
import dev.consensus.crd.ConsensusClusterSpec;
import dev.consensus.e2e.ClusterBackend;
import dev.consensus.operator.model.ClusterNames;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;

/**
 * The local backend, a TEST HARNESS standing in for a Kubernetes cluster on one machine, with no
 * container engine: fabric8's mock API server, one {@link PodRunner} per cluster running its pods as
 * local processes on their own loopback addresses, a hosts file for the pods' DNS names, and the
 * operator in its own JVM pointed at the mock server by a kubeconfig. It runs no Kubernetes
 * controller but the StatefulSet one (no garbage collector: {@link #delete} cleans up itself).
 */
public final class LocalHarness implements ClusterBackend {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LocalHarness.class);

  /** How long the operator's JVM may take to start and pass its readiness probe on a loaded machine. */
  private static final java.time.Duration OPERATOR_START_BOUND = java.time.Duration.ofSeconds(90);

  /**
   * The generated ConsensusCluster CRD, relative to the repository root: the one place e2e names it
   * (the chart may move it).
   */
  public static final String CRD_PATH = "helm/consensus-operator/crds/consensusclusters.consensus.dev-v1.yml";

  /** The store-node jar bin/store-node runs, relative to the repository root. */
  public static final String STORE_NODE_JAR = "store-node/target/store-node.jar";

  /**
   * Where things are, and the operator's flags.
   *
   * @param root the run's directory (kubeconfig, hosts file, logs, claims)
   * @param repoRoot the repository root: bin/store-node, the jar and the CRD are found from it
   */
  public record Settings(Path root, Path repoRoot, List<String> operatorFlags) {
    public Path storeNodeJar() {
      return repoRoot.resolve(STORE_NODE_JAR);
    }

    public Path crd() {
      return repoRoot.resolve(CRD_PATH);
    }
  }

  private record Running(PodAddresses addresses, PodRunner runner) {
  }

  private final Settings settings;
  private final MockApiServer api;
  private final HostsFile hosts;
  private final LocalImages images;
  private final Map<String, Running> clusters = new LinkedHashMap<>();
  private OperatorProcess operator;
  private int operatorStarts;
  private boolean closed;

  public LocalHarness(Settings settings) {
    this.settings = settings;
    this.hosts = new HostsFile(settings.root().resolve("hosts"));
    this.images = new LocalImages(settings.repoRoot(), settings.storeNodeJar(), hosts, LocalImages.DEFAULT_JAVA_OPTS);
    this.api = new MockApiServer(settings.root(), settings.crd());
    LOG.info("harness: API server {} kubeconfig {} hosts file {}", api.url(), api.kubeconfig(), hosts.path());
  }

  /** Starts the operator's JVM (again, if it ran); its log is root/logs/operator-N.log. */
  public synchronized void startOperator() {
    stopOperator();
    operatorStarts++;
    operator = new OperatorProcess(api.kubeconfig(), hosts,
        settings.root().resolve("logs").resolve("operator-" + operatorStarts + ".log"), settings.operatorFlags());
    try {
      operator.awaitReady(OPERATOR_START_BOUND);
    } catch (RuntimeException e) {
      stopOperator();
      throw e;
    }
  }

  public synchronized void stopOperator() {
    if (operator != null) {
      operator.close();
      operator = null;
    }
  }

  public synchronized OperatorProcess operator() {
    return operator;
  }

  public MockApiServer api() {
    return api;
  }

  public HostsFile hosts() {
    return hosts;
  }

  @Override
  public String describe() {
    return "local harness (mock API server " + api.url() + ")";
  }

  @Override
  public KubernetesClient client() {
    return api.client();
  }

  @Override
  public synchronized void create(ConsensusCluster cluster) {
    String namespace = cluster.getMetadata().getNamespace();
    String name = cluster.getMetadata().getName();
    ThreadLocalRandom random = ThreadLocalRandom.current();
    PodAddresses addresses = new PodAddresses("127." + random.nextInt(100, 200) + "." + random.nextInt(1, 255));
    // Names first: a JVM caches a failed lookup for a while.
    for (String[] entry : addresses.hostsEntries(new ClusterNames(name, namespace), 3)) {
      hosts.add(entry[0], entry[1]);
    }
    api.client().resource(cluster).create();
    clusters.put(key(namespace, name), new Running(addresses,
        new PodRunner(api.client(), namespace, name, addresses, images, settings.root().resolve(namespace))));
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }

  private Running running(String namespace, String pod) {
    String name = pod.substring(0, pod.lastIndexOf('-'));
    Running r = clusters.get(key(namespace, name));
    if (r == null) {
      throw new IllegalArgumentException("no cluster " + key(namespace, name) + " in the harness");
    }
    return r;
  }

  @Override
  public void editSpec(String namespace, String name, UnaryOperator<ConsensusClusterSpec> change) {
    var resource = api.client().resources(ConsensusCluster.class).inNamespace(namespace).withName(name);
    ConsensusClusterSpec spec = change.apply(resource.get().getSpec());
    // A JSON patch of /spec: no resourceVersion, so no conflict with the operator's status writes (and
    // not a merge patch, which the mock server applies to lists by appending).
    resource.patch(PatchContext.of(PatchType.JSON),
        Serialization.asJson(List.of(Map.of("op", "replace", "path", "/spec", "value", spec))));
  }

  @Override
  public synchronized void delete(String namespace, String name) {
    Running r = clusters.remove(key(namespace, name));
    api.client().resources(ConsensusCluster.class).inNamespace(namespace).withName(name).delete();
    if (r != null) {
      try {
        r.runner().close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    // No garbage collector in the mock server: what the resource owned goes here.
    api.client().apps().statefulSets().inNamespace(namespace).withName(name).delete();
    api.client().pods().inNamespace(namespace).withLabel("statefulset.kubernetes.io/pod-name").list().getItems()
        .forEach(p -> api.client().resource(p).delete());
  }

  @Override
  public void deletePod(String namespace, String pod) {
    api.client().pods().inNamespace(namespace).withName(pod).delete();
  }

  @Override
  public void deletePodAndClaims(String namespace, String pod) {
    api.client().persistentVolumeClaims().inNamespace(namespace).list().getItems().stream()
        .filter(c -> c.getMetadata().getName().endsWith("-" + pod))
        .forEach(c -> api.client().resource(c).delete());
    deletePod(namespace, pod);
  }

  @Override
  public void killMemberProcess(String namespace, String pod) {
    running(namespace, pod).runner().killProcess(ClusterBackend.ordinal(pod));
  }

  @Override
  public void stopMember(String namespace, String pod) {
    running(namespace, pod).runner().hold(ClusterBackend.ordinal(pod));
  }

  @Override
  public void startMember(String namespace, String pod) {
    running(namespace, pod).runner().release(ClusterBackend.ordinal(pod));
  }

  @Override
  public void restartOperator() {
    startOperator();
  }

  @Override
  public synchronized List<String> clientEndpoints(String namespace, String name) {
    Running r = clusters.get(key(namespace, name));
    var sts = api.client().apps().statefulSets().inNamespace(namespace).withName(name).get();
    int replicas = sts == null ? 0 : sts.getSpec().getReplicas();
    List<String> out = new ArrayList<>();
    for (int i = 0; i < replicas; i++) {
      out.add("http://" + r.addresses().host(i) + ":" + ClusterNames.CLIENT_PORT);
    }
    return out;
  }

  /** The member's client URL as the test's process reaches it. */
  public String clientUrl(String namespace, String pod) {
    return "http://" + running(namespace, pod).addresses().host(ClusterBackend.ordinal(pod)) + ":"
        + ClusterNames.CLIENT_PORT;
  }

  @Override
  public synchronized Throwable harnessFailure() {
    if (operator != null && !operator.isAlive()) {
      return new IllegalStateException("the operator's process exited; see " + operator.log());
    }
    return clusters.values().stream().map(r -> r.runner().failure()).filter(f -> f != null).findFirst().orElse(null);
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    stopOperator();
    for (String k : List.copyOf(clusters.keySet())) {
      String[] parts = k.split("/");
      try {
        delete(parts[0], parts[1]);
      } catch (RuntimeException e) {
        LOG.warn("harness: cleaning up {}: {}", k, e.toString());
      }
    }
    api.close();
  }
}
