package dev.consensus.operator.harness;

import dev.consensus.operator.model.ClusterConfigMapModel;
import dev.consensus.operator.model.ClusterNames;
import dev.consensus.operator.model.PodTemplateModel;
import dev.consensus.operator.model.StoreFlags;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The StatefulSet controller and the kubelet, for tests: it polls one cluster's StatefulSet in the
 * mock API server and, for each ordinal below its replicas, makes the claim and the pod and runs a
 * real etcd (Debian's /usr/bin/etcd) with the flags of the pod template, the ConfigMap's initial
 * cluster and state, and every member's DNS name mapped to its loopback address. A data dir belongs
 * to a claim (deleting the claim deletes it); deleting a pod kills its process (by PID) and the pod
 * comes back, its process restarted with the data dir it had. Processes that exit are restarted.
 */
public final class PodRunner implements AutoCloseable {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PodRunner.class);
  private static final String ETCD = "/usr/bin/etcd";
  private static final long RESTART_BACKOFF_MS = 500;
  /** Below the root next to the data dirs, and never taken for one. */
  private static final String SECRETS_DIR = "secrets";

  private final KubernetesClient client;
  private final String namespace;
  private final String name;
  private final LoopbackAddressing addressing;
  private final Path root;
  private final Map<Integer, Member> running = new HashMap<>();
  private final Set<Integer> unschedulable = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final Thread loop;
  private volatile boolean stopped;
  private volatile Throwable failure;

  /** One running (or backing off) member process and the claim whose data dir it uses. */
  private static final class Member {
    Process process;
    String claimUid;
    long startAfterMs;
    int starts;
  }

  public PodRunner(KubernetesClient client, String namespace, String name, LoopbackAddressing addressing, Path root) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
    this.addressing = addressing;
    this.root = root;
    this.loop = Thread.ofPlatform().daemon().name("pod-runner-" + name).start(this::run);
  }

  /** Pods of these ordinals are never started, as if no node could take them. */
  public void makeUnschedulable(int ordinal) {
    unschedulable.add(ordinal);
  }

  /** A node failure: the member's process is killed and not started again until {@link #recover}. */
  public synchronized void fail(int ordinal) {
    unschedulable.add(ordinal);
    crash(ordinal);
  }

  public void recover(int ordinal) {
    unschedulable.remove(ordinal);
  }

  public Throwable failure() {
    return failure;
  }

  private void run() {
    while (!stopped) {
      try {
        step();
      } catch (RuntimeException e) {
        if (!stopped) {
          failure = e;
        }
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private synchronized void step() {
    StatefulSet sts = client.apps().statefulSets().inNamespace(namespace).withName(name).get();
    int replicas = sts == null ? 0 : sts.getSpec().getReplicas();
    ClusterNames names = new ClusterNames(name, namespace);
    Map<String, PersistentVolumeClaim> claims = new HashMap<>();
    client.persistentVolumeClaims().inNamespace(namespace).list().getItems()
        .forEach(c -> claims.put(c.getMetadata().getName(), c));
    // Claims deleted: their data dirs go, after the processes using them.
    Set<String> liveUids = new HashSet<>();
    claims.values().forEach(c -> liveUids.add(c.getMetadata().getUid()));
    for (var e : running.entrySet()) {
      if (e.getValue().claimUid != null && !liveUids.contains(e.getValue().claimUid)) {
        LOG.info("pod runner: claim of ordinal {} gone, killing its process", e.getKey());
        kill(e.getValue());
        e.getValue().claimUid = null;
      }
    }
    deleteDataDirsNotIn(liveUids);
    for (int i = 0; i < Math.max(replicas, maxKnownOrdinal() + 1); i++) {
      String member = names.member(i);
      Pod pod = client.pods().inNamespace(namespace).withName(member).get();
      Member m = running.computeIfAbsent(i, k -> new Member());
      if (i >= replicas) {
        if (m.process != null) {
          LOG.info("pod runner: {} above replicas {}, killing pid {}", member, replicas, m.process.pid());
        }
        kill(m);
        if (pod != null) {
          client.pods().inNamespace(namespace).withName(member).delete();
        }
        continue;
      }
      String claimName = StoreFlags.DATA_VOLUME + "-" + member;
      PersistentVolumeClaim claim = claims.get(claimName);
      if (claim == null) {
        // Kubernetes keeps a claim while a pod uses it; once both are gone the StatefulSet makes the
        // claim anew, then the pod. Here: the pod goes with its claim, and both come back, empty.
        if (pod != null) {
          LOG.info("pod runner: claim of {} gone, deleting its pod", member);
          kill(m);
          client.pods().inNamespace(namespace).withName(member).delete();
        }
        createClaim(sts, claimName);
        continue;
      }
      if (pod == null) {
        if (m.process != null) {
          LOG.info("pod runner: pod {} gone, killing pid {}", member, m.process.pid());
        }
        kill(m);
        sts = client.apps().statefulSets().inNamespace(namespace).withName(name).get(); // the newest template
        client.resource(new PodBuilder()
            .withNewMetadata().withName(member).withNamespace(namespace)
              .withLabels(sts.getSpec().getTemplate().getMetadata().getLabels())
              .withAnnotations(sts.getSpec().getTemplate().getMetadata().getAnnotations())
            .endMetadata()
            .withSpec(sts.getSpec().getTemplate().getSpec())
            .build()).create();
        m.starts = 0;
        continue;
      }
      boolean alive = m.process != null && m.process.isAlive();
      if (!alive && !unschedulable.contains(i) && System.currentTimeMillis() >= m.startAfterMs) {
        start(m, i, member, pod, claim);
      }
    }
  }

  private int maxKnownOrdinal() {
    return running.keySet().stream().max(Integer::compare).orElse(-1);
  }

  private PersistentVolumeClaim createClaim(StatefulSet sts, String claimName) {
    return client.resource(new PersistentVolumeClaimBuilder()
        .withNewMetadata().withName(claimName).withNamespace(namespace).withUid(UUID.randomUUID().toString())
          .withLabels(sts.getSpec().getSelector().getMatchLabels())
        .endMetadata()
        .withSpec(sts.getSpec().getVolumeClaimTemplates().get(0).getSpec())
        .build()).create();
  }

  private void start(Member m, int ordinal, String member, Pod pod, PersistentVolumeClaim claim) {
    ConfigMap config = client.configMaps().inNamespace(namespace).withName(name + "-cluster").get();
    if (config == null) {
      return; // the kubelet would not start a container whose env refers to a missing ConfigMap
    }
    Container container = pod.getSpec().getContainers().stream()
        .filter(c -> PodTemplateModel.CONTAINER.equals(c.getName())).findFirst().orElseThrow();
    Map<String, String> env = Map.of(
        StoreFlags.POD_NAME_ENV, member,
        StoreFlags.INITIAL_CLUSTER_ENV, config.getData().get(ClusterConfigMapModel.INITIAL_CLUSTER_KEY),
        StoreFlags.INITIAL_CLUSTER_STATE_ENV, config.getData().get(ClusterConfigMapModel.INITIAL_CLUSTER_STATE_KEY));
    Path dataDir = root.resolve(claim.getMetadata().getName() + "-" + claim.getMetadata().getUid());
    List<String> command = new ArrayList<>();
    command.add(ETCD);
    try {
      Map<String, Path> secretMounts = secretMounts(member, pod, container);
      for (String arg : container.getArgs()) {
        String local = localize(expand(arg, env), ordinal, dataDir);
        for (var mount : secretMounts.entrySet()) {
          local = local.replace(mount.getKey() + "/", mount.getValue() + "/");
        }
        command.add(local);
      }
      Files.createDirectories(dataDir);
      Path log = root.resolve(member + ".log");
      m.process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
      m.claimUid = claim.getMetadata().getUid();
      m.starts++;
      LOG.info("pod runner: started {} pid {} start #{} state {}", member, m.process.pid(), m.starts,
          env.get(StoreFlags.INITIAL_CLUSTER_STATE_ENV));
      m.startAfterMs = System.currentTimeMillis() + RESTART_BACKOFF_MS * Math.min(m.starts, 4);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + member, e);
    }
  }

  /**
   * The kubelet's Secret volumes: each Secret the pod mounts is written to a directory of its own, one
   * file per key; returns the mount paths mapped to those directories. A missing Secret keeps the pod
   * from starting, as in Kubernetes.
   */
  private Map<String, Path> secretMounts(String member, Pod pod, Container container) throws IOException {
    Map<String, Path> mounts = new HashMap<>();
    if (pod.getSpec().getVolumes() == null || container.getVolumeMounts() == null) {
      return mounts;
    }
    for (var volume : pod.getSpec().getVolumes()) {
      if (volume.getSecret() == null) {
        continue;
      }
      var secret = client.secrets().inNamespace(namespace).withName(volume.getSecret().getSecretName()).get();
      if (secret == null) {
        throw new IllegalStateException("Secret " + volume.getSecret().getSecretName() + " of " + member + " not found");
      }
      Path dir = root.resolve(SECRETS_DIR).resolve(member).resolve(volume.getName());
      Files.createDirectories(dir);
      Map<String, byte[]> files = new HashMap<>();
      if (secret.getData() != null) {
        secret.getData().forEach((k, v) -> files.put(k, java.util.Base64.getMimeDecoder().decode(v)));
      }
      if (secret.getStringData() != null) {
        secret.getStringData().forEach((k, v) -> files.put(k, v.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      }
      for (var f : files.entrySet()) {
        Files.write(dir.resolve(f.getKey()), f.getValue());
      }
      container.getVolumeMounts().stream().filter(m -> volume.getName().equals(m.getName()))
          .forEach(m -> mounts.put(m.getMountPath(), dir));
    }
    return mounts;
  }

  /** Kubernetes' $(VAR) expansion of container arguments. */
  private static String expand(String arg, Map<String, String> env) {
    String out = arg;
    for (var e : env.entrySet()) {
      out = out.replace("$(" + e.getKey() + ")", e.getValue());
    }
    return out;
  }

  /** DNS names to loopback addresses, the wildcard listen address to the member's own, the data dir to its claim's. */
  private String localize(String arg, int ordinal, Path dataDir) {
    if (arg.startsWith("--data-dir=")) {
      return "--data-dir=" + dataDir.resolve("data");
    }
    ClusterNames names = new ClusterNames(name, namespace);
    String out = arg.replace("0.0.0.0", addressing.host(ordinal));
    for (int i = 0; i < 16; i++) {
      out = out.replace(names.memberHost(i) + ":", addressing.host(i) + ":");
    }
    return out;
  }

  private static void kill(Member m) {
    Process p = m.process;
    if (p == null) {
      return;
    }
    p.destroyForcibly();
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("etcd pid " + p.pid() + " did not exit within 10 s of SIGKILL");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    m.process = null;
  }

  private void deleteDataDirsNotIn(Set<String> liveUids) {
    try (Stream<Path> dirs = Files.list(root)) {
      for (Path dir : dirs.filter(Files::isDirectory)
          .filter(d -> !SECRETS_DIR.equals(d.getFileName().toString())).toList()) {
        boolean live = liveUids.stream().anyMatch(uid -> dir.getFileName().toString().endsWith("-" + uid));
        boolean inUse = running.values().stream().anyMatch(m -> m.process != null && m.claimUid != null
            && dir.getFileName().toString().endsWith("-" + m.claimUid));
        if (!live && !inUse) {
          deleteTree(dir);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** Kills one member's process by PID, as a crash would; its pod stays and the process is restarted. */
  public synchronized void crash(int ordinal) {
    Member m = running.get(ordinal);
    if (m != null) {
      kill(m);
    }
  }

  public synchronized long pid(int ordinal) {
    Member m = running.get(ordinal);
    return m == null || m.process == null ? -1 : m.process.pid();
  }

  @Override
  public void close() throws InterruptedException {
    stopped = true;
    loop.interrupt();
    loop.join(10_000);
    synchronized (this) {
      running.values().forEach(PodRunner::kill);
    }
  }
}
