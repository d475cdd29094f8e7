package dev.consensus.e2e.k3s;

import dev.consensus.crd.ConsensusCluster;
import dev.consensus.crd.ConsensusClusterSpec;
import dev.consensus.e2e.ClusterBackend;
import dev.consensus.operator.model.ClusterNames;
import dev.consensus.operator.model.Labels;
import dev.consensus.operator.model.PodTemplateModel;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.LocalPortForward;
import io.fabric8.kubernetes.client.readiness.Readiness;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * The scenarios' backend on a real Kubernetes: k3s in a container (Testcontainers), the two images of
 * {@code make images} imported into its containerd, the operator installed from the Helm chart. Needs a
 * Docker engine; {@link Preconditions} says when it cannot run.
 */
public final class K3sBackend implements ClusterBackend {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(K3sBackend.class);

  /** The k3s release the suite runs on (a Kubernetes inside the chart's kubeVersion); -De2e.k3s.image= changes it. */
  public static final String DEFAULT_K3S_IMAGE = "rancher/k3s:v1.31.5-k3s1";
  /** The bound of every wait of the backend's own (a namespace gone, the operator back). */
  private static final long WAIT_MINUTES = 3;
  /** How often a stopped member's container is looked for and killed again. */
  private static final long STOPPED_POLL_MILLIS = 500;

  /**
   * @param runDir where the kubeconfig and the logs go
   * @param chart helm/consensus-operator
   * @param images the tarballs to import and the names they carry
   * @param k3sImage the k3s image to run
   */
  public record Settings(Path runDir, Path chart, Images images, String k3sImage) {
  }

  private final Settings settings;
  private final K3sContainer k3s;
  private final KubernetesClient client;
  private final OperatorRelease operator;
  private final MemberContainers members;
  private final ScheduledExecutorService stopper = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "k3s-stopped-members");
    t.setDaemon(true);
    return t;
  });
  private final Map<String, ScheduledFuture<?>> stopped = new HashMap<>();
  private final Map<String, LocalPortForward> forwards = new HashMap<>();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();

  /** Starts k3s, imports the images and installs the operator; the caller closes it. */
  public K3sBackend(Settings settings) {
    this.settings = settings;
    Images images = settings.images();
    this.k3s = new K3sContainer(DockerImageName.parse(settings.k3sImage()))
        .withCopyFileToContainer(MountableFile.forHostPath(images.storeNodeTarball()), "/tmp/images/store-node.tar")
        .withCopyFileToContainer(MountableFile.forHostPath(images.operatorTarball()), "/tmp/images/operator.tar");
    KubernetesClient started = null;
    try {
      k3s.start();
      importImage("/tmp/images/store-node.tar");
      importImage("/tmp/images/operator.tar");
      String yaml = k3s.getKubeConfigYaml();
      Path kubeconfig = KubeconfigFile.write(settings.runDir(), yaml);
      started = new KubernetesClientBuilder().withConfig(KubeconfigFile.clientConfig(yaml)).build();
      this.operator = OperatorRelease.forTests(settings.chart(), images);
      LOG.info("k3s {} up, kubeconfig {}; installing the operator from {}", settings.k3sImage(), kubeconfig,
          settings.chart());
      operator.install(kubeconfig);
    } catch (RuntimeException e) {
      if (started != null) {
        started.close();
      }
      k3s.stop();
      throw e;
    }
    this.client = started;
    this.members = new MemberContainers(k3s, PodTemplateModel.CONTAINER);
  }

  private void importImage(String path) {
    try {
      var result = k3s.execInContainer("ctr", "-n", "k8s.io", "images", "import", path);
      if (result.getExitCode() != 0) {
        throw new IllegalStateException("ctr images import " + path + " failed: " + result.getStderr().strip());
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot import " + path + " into k3s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while importing " + path, e);
    }
  }

  @Override
  public String describe() {
    return "k3s (" + settings.k3sImage() + ") with the operator from the Helm chart";
  }

  @Override
  public KubernetesClient client() {
    return client;
  }

  @Override
  public void create(ConsensusCluster cluster) {
    String namespace = cluster.getMetadata().getNamespace();
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .createOr(existing -> existing.update());
    client.resource(cluster).create();
  }

  @Override
  public void editSpec(String namespace, String name, UnaryOperator<ConsensusClusterSpec> change) {
    client.resources(ConsensusCluster.class).inNamespace(namespace).withName(name).edit(c -> {
      c.setSpec(change.apply(c.getSpec()));
      return c;
    });
  }

  /**
   * Deletes the resource and then its namespace, claims included (a StatefulSet keeps its claims), and
   * waits until the namespace is gone, so that nothing of it runs into the next scenario.
   */
  @Override
  public void delete(String namespace, String name) {
    synchronized (this) {
      String prefix = namespace + "/";
      stopped.entrySet().removeIf(e -> {
        if (e.getKey().startsWith(prefix)) {
          e.getValue().cancel(false);
          return true;
        }
        return false;
      });
      forwards.entrySet().removeIf(e -> {
        if (e.getKey().startsWith(prefix)) {
          closeQuietly(e.getValue());
          return true;
        }
        return false;
      });
    }
    client.resources(ConsensusCluster.class).inNamespace(namespace).withName(name).delete();
    client.namespaces().withName(namespace).delete();
    client.namespaces().withName(namespace).waitUntilCondition(ns -> ns == null, WAIT_MINUTES, TimeUnit.MINUTES);
  }

  @Override
  public void deletePod(String namespace, String pod) {
    client.pods().inNamespace(namespace).withName(pod).delete();
  }

  /**
   * The claims first: the pvc-protection finalizer keeps them until the pod is gone, and the
   * StatefulSet controller then makes the pod anew with new, empty claims.
   */
  @Override
  public void deletePodAndClaims(String namespace, String pod) {
    for (String claim : claimNames(namespace, pod)) {
      client.persistentVolumeClaims().inNamespace(namespace).withName(claim).delete();
    }
    deletePod(namespace, pod);
  }

  /** A StatefulSet's claim for a pod is named TEMPLATE-POD, for each of its claim templates. */
  private List<String> claimNames(String namespace, String pod) {
    String statefulSet = pod.substring(0, pod.lastIndexOf('-'));
    StatefulSet sts = client.apps().statefulSets().inNamespace(namespace).withName(statefulSet).get();
    if (sts == null) {
      throw new IllegalStateException("no StatefulSet " + namespace + "/" + statefulSet + " for pod " + pod);
    }
    return sts.getSpec().getVolumeClaimTemplates().stream()
        .map(t -> t.getMetadata().getName() + "-" + pod).toList();
  }

  @Override
  public void killMemberProcess(String namespace, String pod) {
    if (!members.kill(namespace, pod)) {
      throw new IllegalStateException("no running member container in pod " + namespace + "/" + pod);
    }
  }

  /**
   * A node down, as near as one node allows: the member's container is killed now and again whenever
   * the kubelet restarts it, until {@link #startMember}. The pod object stays, as it would on a node
   * that stopped answering.
   */
  @Override
  public synchronized void stopMember(String namespace, String pod) {
    members.kill(namespace, pod);
    stopped.computeIfAbsent(namespace + "/" + pod, key -> stopper.scheduleWithFixedDelay(() -> {
      try {
        members.kill(namespace, pod);
      } catch (RuntimeException e) {
        failure.compareAndSet(null, e);
      }
    }, STOPPED_POLL_MILLIS, STOPPED_POLL_MILLIS, TimeUnit.MILLISECONDS));
  }

  @Override
  public synchronized void startMember(String namespace, String pod) {
    ScheduledFuture<?> task = stopped.remove(namespace + "/" + pod);
    if (task != null) {
      task.cancel(false);
    }
  }

  /**
   * Deletes the operator's pods; the Deployment makes new ones. Returns once a new pod is ready, as a
   * rollout would.
   */
  @Override
  public void restartOperator() {
    Deployment deployment = client.apps().deployments().inNamespace(operator.namespace()).list().getItems().stream()
        .findFirst().orElseThrow(() -> new IllegalStateException("no operator Deployment in " + operator.namespace()));
    Map<String, String> selector = deployment.getSpec().getSelector().getMatchLabels();
    var pods = client.pods().inNamespace(operator.namespace()).withLabels(selector);
    Set<String> old = pods.list().getItems().stream().map(p -> p.getMetadata().getUid()).collect(Collectors.toSet());
    pods.delete();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(WAIT_MINUTES);
    while (true) {
      List<Pod> now = pods.list().getItems();
      if (!now.isEmpty() && now.stream().allMatch(p -> !old.contains(p.getMetadata().getUid()) && Readiness.isPodReady(p))) {
        return;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException("the operator's new pod was not ready within " + WAIT_MINUTES + " minutes");
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the operator", e);
      }
    }
  }

  /**
   * Each pod's client port forwarded through the API server to a port on 127.0.0.1 (pod IPs are
   * inside the k3s container). fabric8 opens a stream per connection, so a forward outlives the pod's
   * restarts; one per pod, kept until the cluster is deleted.
   */
  @Override
  public synchronized List<String> clientEndpoints(String namespace, String name) {
    List<String> endpoints = new ArrayList<>();
    List<Pod> pods = client.pods().inNamespace(namespace).withLabel(Labels.INSTANCE, name).list().getItems();
    for (Pod pod : pods) {
      String podName = pod.getMetadata().getName();
      LocalPortForward forward = forwards.computeIfAbsent(namespace + "/" + podName,
          key -> client.pods().inNamespace(namespace).withName(podName).portForward(ClusterNames.CLIENT_PORT));
      endpoints.add("http://127.0.0.1:" + forward.getLocalPort());
    }
    return endpoints;
  }

  @Override
  public Throwable harnessFailure() {
    if (!k3s.isRunning()) {
      return new IllegalStateException("the k3s container is no longer running");
    }
    return failure.get();
  }

  /** Saves the operator's log under the run directory, then stops everything. */
  @Override
  public synchronized void close() {
    stopper.shutdownNow();
    forwards.values().forEach(K3sBackend::closeQuietly);
    forwards.clear();
    try {
      Path logs = Files.createDirectories(settings.runDir().resolve("logs"));
      for (Pod pod : client.pods().inNamespace(operator.namespace()).list().getItems()) {
        String name = pod.getMetadata().getName();
        Files.writeString(logs.resolve(name + ".log"),
            client.pods().inNamespace(operator.namespace()).withName(name).getLog());
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("could not save the operator's logs: {}", e.toString());
    }
    client.close();
    k3s.stop();
  }

  private static void closeQuietly(LocalPortForward forward) {
    try {
      forward.close();
    } catch (IOException e) {
      LOG.debug("closing a port forward: {}", e.toString());
    }
  }
}
