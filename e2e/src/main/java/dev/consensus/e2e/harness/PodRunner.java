package dev.consensus.e2e.harness;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * The StatefulSet controller and the kubelet of the e2e TEST HARNESS, for one StatefulSet: it polls
 * the mock API server and, for each ordinal below the replicas, makes the volume claims from the
 * claim templates and the pod from the template, and runs the pod's one container as a real local
 * process (see {@link LocalImages}) with its command, args and environment expanded as the kubelet
 * does ({@code $(VAR)}, downward API fields, ConfigMap and Secret keys), listening on the pod's own
 * loopback address ({@code 0.0.0.0} in an argument becomes it) and with the claim's directory where
 * the volume is mounted. Readiness comes from the pod's readiness probe, and the pod's status (phase,
 * IP, ready, restarts) is written back. Claims are kept across pod restarts and scale-down, as
 * Kubernetes keeps them; deleting a claim deletes its directory once no process uses it. A deleted
 * pod's process gets SIGTERM, then SIGKILL after the grace period, and the pod comes back; a process
 * that exits is restarted with a growing back-off, counted in the pod's restarts.
 *
 * <p>What it does not do: images are never pulled, only the first container runs, liveness probes are
 * not acted on (a process that exits is what restarts), probes run every half second whatever their
 * period, and pods start all at once (parallel pod management).
 */
public final class PodRunner implements AutoCloseable {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PodRunner.class);
  private static final long LOOP_MS = 200;
  private static final long PROBE_EVERY_MS = 500;
  private static final long RESTART_BACKOFF_MS = 500;
  /** The harness caps a pod's grace period: a member that ignores SIGTERM this long is killed anyway. */
  private static final long MAX_GRACE_SECONDS = 15;

  private final KubernetesClient client;
  private final String namespace;
  private final String name;
  private final PodAddresses addresses;
  private final LocalImages images;
  private final Path root;
  private final Map<Integer, Member> members = new HashMap<>();
  private final Set<Integer> held = ConcurrentHashMap.newKeySet();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
  private final Thread loop;
  private volatile boolean stopped;
  private volatile Throwable failure;

  /** One pod's process (running or backing off), the pod it belongs to, and the claim directories it uses. */
  private static final class Member {
    Process process;
    String podUid;
    Set<String> claimUids = new HashSet<>();
    long startAfterMs;
    int restarts;
    boolean ready;
    long lastProbeMs;
    PodStatusKey written;
  }

  /** The part of a pod's status the runner writes; it writes again only when this changes. */
  private record PodStatusKey(String phase, boolean ready, int restarts) {
  }

  public PodRunner(KubernetesClient client, String namespace, String name, PodAddresses addresses,
      LocalImages images, Path root) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
    this.addresses = addresses;
    this.images = images;
    this.root = root;
    this.loop = Thread.ofPlatform().daemon().name("pod-runner-" + namespace + "-" + name).start(this::run);
  }

  /** The pod's "IP". */
  public String podIp(int ordinal) {
    return addresses.host(ordinal);
  }

  /** The first error the loop met, or null: tests check it so that a harness fault is not read as an operator one. */
  public Throwable failure() {
    return failure;
  }

  private void run() {
    while (!stopped) {
      try {
        step();
      } catch (RuntimeException e) {
        if (!stopped) {
          LOG.warn("pod runner {}/{}: {}", namespace, name, e.toString());
          if (failure == null) {
            failure = e;
          }
        }
      }
      try {
        Thread.sleep(LOOP_MS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private synchronized void step() {
    if (stopped) {
      return;
    }
    StatefulSet sts = client.apps().statefulSets().inNamespace(namespace).withName(name).get();
    int replicas = sts == null || sts.getSpec().getReplicas() == null ? 0 : sts.getSpec().getReplicas();
    Map<String, PersistentVolumeClaim> claims = new HashMap<>();
    client.persistentVolumeClaims().inNamespace(namespace).list().getItems()
        .forEach(c -> claims.put(c.getMetadata().getName(), c));
    Set<String> liveUids = new HashSet<>();
    claims.values().forEach(c -> liveUids.add(c.getMetadata().getUid()));
    for (var e : members.entrySet()) {
      if (e.getValue().process != null && !liveUids.containsAll(e.getValue().claimUids)) {
        LOG.info("pod runner: a claim of {}-{} is gone; stopping its process", name, e.getKey());
        terminate(e.getValue(), 0);
      }
    }
    deleteClaimDirsNotIn(liveUids);
    int highest = members.keySet().stream().max(Integer::compare).orElse(-1);
    for (int i = 0; i < Math.max(replicas, highest + 1); i++) {
      String podName = name + "-" + i;
      Member m = members.computeIfAbsent(i, k -> new Member());
      Pod pod = client.pods().inNamespace(namespace).withName(podName).get();
      if (i >= replicas) {
        // Scale-down: the pod goes, its claims stay.
        if (m.process != null) {
          LOG.info("pod runner: {} is at or above replicas {}; stopping it", podName, replicas);
          terminate(m, grace(pod));
        }
        if (pod != null) {
          client.pods().inNamespace(namespace).withName(podName).delete();
        }
        m.podUid = null;
        continue;
      }
      List<String> missingClaims = claimNames(sts, podName).stream().filter(c -> !claims.containsKey(c)).toList();
      if (!missingClaims.isEmpty()) {
        // Kubernetes keeps a claim while a pod uses it, and once both are gone makes the claim anew,
        // then the pod. Here the pod goes with its claim, and both come back, empty.
        if (pod != null) {
          LOG.info("pod runner: claim(s) {} gone; deleting pod {}", missingClaims, podName);
          terminate(m, 0);
          client.pods().inNamespace(namespace).withName(podName).delete();
        }
        missingClaims.forEach(c -> createClaim(sts, c));
        continue;
      }
      if (pod == null) {
        if (m.process != null) {
          LOG.info("pod runner: pod {} deleted; stopping pid {}", podName, m.process.pid());
          terminate(m, MAX_GRACE_SECONDS);
        }
        createPod(sts, podName);
        continue;
      }
      if (!pod.getMetadata().getUid().equals(m.podUid)) {
        // A new pod of this name: a new container, restart count from zero.
        terminate(m, grace(pod));
        m.podUid = pod.getMetadata().getUid();
        m.restarts = 0;
        m.startAfterMs = 0;
        m.written = null;
      }
      if (m.process != null && !m.process.isAlive()) {
        LOG.info("pod runner: {} exited with {}; restarting after a back-off", podName, m.process.exitValue());
        m.process = null;
        m.ready = false;
        m.restarts++;
        m.startAfterMs = System.currentTimeMillis() + RESTART_BACKOFF_MS * Math.min(m.restarts, 4);
      }
      if (m.process == null && !held.contains(i) && System.currentTimeMillis() >= m.startAfterMs) {
        start(m, i, pod, claims);
      }
      probe(m, i, pod);
      writeStatus(m, i, pod);
    }
  }

  private static long grace(Pod pod) {
    Long seconds = pod == null ? null : pod.getSpec().getTerminationGracePeriodSeconds();
    return Math.min(seconds == null ? 30 : seconds, MAX_GRACE_SECONDS);
  }

  /** Claim {@code TEMPLATE-POD} for each claim template, as the StatefulSet controller names them. */
  private static List<String> claimNames(StatefulSet sts, String podName) {
    if (sts.getSpec().getVolumeClaimTemplates() == null) {
      return List.of();
    }
    return sts.getSpec().getVolumeClaimTemplates().stream().map(t -> t.getMetadata().getName() + "-" + podName)
        .toList();
  }

  private void createClaim(StatefulSet sts, String claimName) {
    var template = sts.getSpec().getVolumeClaimTemplates().stream()
        .filter(t -> claimName.startsWith(t.getMetadata().getName() + "-")).findFirst().orElseThrow();
    client.resource(new PersistentVolumeClaimBuilder()
        .withNewMetadata().withName(claimName).withNamespace(namespace).withUid(UUID.randomUUID().toString())
          .withLabels(sts.getSpec().getSelector().getMatchLabels())
        .endMetadata()
        .withSpec(template.getSpec())
        .withNewStatus().withPhase("Bound").endStatus()
        .build()).create();
  }

  private void createPod(StatefulSet sts, String podName) {
    var template = sts.getSpec().getTemplate();
    Map<String, String> labels = new LinkedHashMap<>();
    if (template.getMetadata().getLabels() != null) {
      labels.putAll(template.getMetadata().getLabels());
    }
    labels.put("statefulset.kubernetes.io/pod-name", podName);
    client.resource(new PodBuilder()
        .withNewMetadata().withName(podName).withNamespace(namespace).withUid(UUID.randomUUID().toString())
          .withLabels(labels)
          .withAnnotations(template.getMetadata().getAnnotations())
        .endMetadata()
        .withSpec(template.getSpec())
        .withStatus(new PodStatusBuilder().withPhase("Pending").build())
        .build()).create();
  }

  private Path claimDir(PersistentVolumeClaim claim) {
    return root.resolve("claims").resolve(claim.getMetadata().getName() + "-" + claim.getMetadata().getUid());
  }

  private void start(Member m, int ordinal, Pod pod, Map<String, PersistentVolumeClaim> claims) {
    Container container = pod.getSpec().getContainers().get(0);
    Map<String, String> env = containerEnv(container, pod, ordinal);
    if (env == null) {
      return; // as the kubelet: no container while a required ConfigMap or Secret key is missing
    }
    Map<String, Path> mounts = new LinkedHashMap<>();
    Set<String> claimUids = new HashSet<>();
    for (VolumeMount mount : container.getVolumeMounts() == null ? List.<VolumeMount>of() : container.getVolumeMounts()) {
      PersistentVolumeClaim claim = claims.get(mount.getName() + "-" + pod.getMetadata().getName());
      if (claim != null) {
        mounts.put(mount.getMountPath(), claimDir(claim));
        claimUids.add(claim.getMetadata().getUid());
      }
    }
    LocalImages.Kind kind = images.kind(container);
    List<String> command = new ArrayList<>(images.program(container));
    for (String arg : container.getArgs() == null ? List.<String>of() : container.getArgs()) {
      command.add(localize(expand(arg, env), ordinal, mounts, kind));
    }
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    // The container sees its own environment, not the test's: only what finds programs is kept.
    pb.environment().keySet().removeIf(k -> !Set.of("PATH", "HOME", "JAVA_HOME", "LANG").contains(k));
    env.forEach((k, v) -> pb.environment().put(k, localize(v, ordinal, mounts, kind)));
    pb.environment().putAll(images.programEnv(kind));
    try {
      for (Path dir : mounts.values()) {
        Files.createDirectories(dir);
      }
      Path log = root.resolve("logs").resolve(pod.getMetadata().getName() + ".log");
      Files.createDirectories(log.getParent());
      pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      m.process = pb.start();
      m.claimUids = claimUids;
      m.ready = false;
      m.lastProbeMs = 0;
      LOG.info("pod runner: started {} ({}) pid {} on {}, log {}", pod.getMetadata().getName(), kind,
          m.process.pid(), addresses.host(ordinal), log);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start pod " + pod.getMetadata().getName(), e);
    }
  }

  /**
   * The container's environment as the kubelet builds it, in order, each value able to refer to the
   * ones before; null when a required ConfigMap or Secret key does not exist (yet).
   */
  private Map<String, String> containerEnv(Container container, Pod pod, int ordinal) {
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvVar v : container.getEnv() == null ? List.<EnvVar>of() : container.getEnv()) {
      String value;
      if (v.getValueFrom() == null) {
        value = expand(v.getValue() == null ? "" : v.getValue(), env);
      } else if (v.getValueFrom().getFieldRef() != null) {
        value = field(v.getValueFrom().getFieldRef().getFieldPath(), pod, ordinal);
      } else if (v.getValueFrom().getConfigMapKeyRef() != null) {
        var ref = v.getValueFrom().getConfigMapKeyRef();
        ConfigMap cm = client.configMaps().inNamespace(namespace).withName(ref.getName()).get();
        value = cm == null || cm.getData() == null ? null : cm.getData().get(ref.getKey());
        if (value == null && !Boolean.TRUE.equals(ref.getOptional())) {
          return null;
        }
      } else if (v.getValueFrom().getSecretKeyRef() != null) {
        var ref = v.getValueFrom().getSecretKeyRef();
        Secret s = client.secrets().inNamespace(namespace).withName(ref.getName()).get();
        String encoded = s == null || s.getData() == null ? null : s.getData().get(ref.getKey());
        value = encoded == null ? null : new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        if (value == null && !Boolean.TRUE.equals(ref.getOptional())) {
          return null;
        }
      } else {
        throw new IllegalArgumentException("env " + v.getName() + ": the harness supports value, fieldRef,"
            + " configMapKeyRef and secretKeyRef only");
      }
      if (value != null) {
        env.put(v.getName(), value);
      }
    }
    return env;
  }

  /** The downward API's fields. */
  private String field(String path, Pod pod, int ordinal) {
    return switch (path) {
      case "metadata.name" -> pod.getMetadata().getName();
      case "metadata.namespace" -> namespace;
      case "metadata.uid" -> pod.getMetadata().getUid();
      case "status.podIP" -> addresses.host(ordinal);
      case "status.hostIP" -> "127.0.0.1";
      case "spec.nodeName" -> "e2e-harness";
      case "spec.serviceAccountName" -> pod.getSpec().getServiceAccountName() == null ? "default"
          : pod.getSpec().getServiceAccountName();
      default -> {
        String prefix = "metadata.labels['";
        if (path.startsWith(prefix) && path.endsWith("']")) {
          yield pod.getMetadata().getLabels().getOrDefault(path.substring(prefix.length(), path.length() - 2), "");
        }
        throw new IllegalArgumentException("downward API field " + path + " is not supported by the harness");
      }
    };
  }

  /** Kubernetes' {@code $(VAR)} expansion; a reference to an unknown variable stays as it is, as in Kubernetes. */
  static String expand(String text, Map<String, String> env) {
    String out = text;
    for (var e : env.entrySet()) {
      out = out.replace("$(" + e.getKey() + ")", e.getValue());
    }
    return out;
  }

  /**
   * What the pod's network and volumes make of an argument here: the wildcard address becomes the
   * pod's own, a mounted path the claim's directory. For etcd where it cannot be given the hosts
   * file (see {@link LocalImages}), pod DNS names become loopback addresses too.
   */
  private String localize(String arg, int ordinal, Map<String, Path> mounts, LocalImages.Kind kind) {
    String out = arg.replace("0.0.0.0", addresses.host(ordinal));
    for (var mount : mounts.entrySet()) {
      out = out.replace(mount.getKey(), mount.getValue().toString());
    }
    if (kind == LocalImages.Kind.ETCD && !images.etcdReadsHostsFile()) {
      var names = new dev.consensus.operator.model.ClusterNames(name, namespace);
      for (int i = PodAddresses.MAX_PODS - 1; i >= 0; i--) {
        out = out.replace(names.memberHost(i) + ".cluster.local", addresses.host(i))
            .replace(names.memberHost(i), addresses.host(i));
      }
    }
    return out;
  }

  private void probe(Member m, int ordinal, Pod pod) {
    boolean alive = m.process != null && m.process.isAlive();
    if (!alive) {
      m.ready = false;
      return;
    }
    long now = System.currentTimeMillis();
    if (now - m.lastProbeMs < PROBE_EVERY_MS) {
      return;
    }
    m.lastProbeMs = now;
    Container container = pod.getSpec().getContainers().get(0);
    m.ready = probeOnce(container.getReadinessProbe(), container, ordinal);
  }

  private boolean probeOnce(Probe probe, Container container, int ordinal) {
    if (probe == null) {
      return true;
    }
    int timeout = probe.getTimeoutSeconds() == null ? 1 : probe.getTimeoutSeconds();
    try {
      if (probe.getHttpGet() != null) {
        var get = probe.getHttpGet();
        int port = port(get.getPort(), container);
        String path = get.getPath() == null ? "/" : get.getPath();
        if (images.kind(container) == LocalImages.Kind.ETCD && (path.startsWith("/readyz") || path.startsWith("/livez"))) {
          path = "/health"; // Debian's etcd 3.4 predates /readyz and /livez
        }
        String scheme = get.getScheme() == null ? "http" : get.getScheme().toLowerCase(java.util.Locale.ROOT);
        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(
            URI.create(scheme + "://" + addresses.host(ordinal) + ":" + port + path))
            .timeout(Duration.ofSeconds(timeout)).GET().build(), HttpResponse.BodyHandlers.discarding());
        return r.statusCode() >= 200 && r.statusCode() < 400;
      }
      if (probe.getTcpSocket() != null) {
        try (Socket s = new Socket()) {
          s.connect(new InetSocketAddress(addresses.host(ordinal), port(probe.getTcpSocket().getPort(), container)),
              timeout * 1000);
          return true;
        }
      }
      return true; // exec and gRPC probes: ready while running
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static int port(io.fabric8.kubernetes.api.model.IntOrString port, Container container) {
    if (port.getIntVal() != null) {
      return port.getIntVal();
    }
    return container.getPorts().stream().filter(p -> port.getStrVal().equals(p.getName()))
        .mapToInt(ContainerPort::getContainerPort).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("probe port " + port.getStrVal() + " is not a container port"));
  }

  private void writeStatus(Member m, int ordinal, Pod pod) {
    boolean running = m.process != null && m.process.isAlive();
    PodStatusKey key = new PodStatusKey(running ? "Running" : "Pending", running && m.ready, m.restarts);
    if (key.equals(m.written)) {
      return;
    }
    String now = Instant.now().toString();
    PodStatus status = new PodStatusBuilder()
        .withPhase(key.phase())
        .withPodIP(addresses.host(ordinal))
        .withHostIP("127.0.0.1")
        .withConditions(new PodConditionBuilder().withType("Ready").withStatus(key.ready() ? "True" : "False")
            .withLastTransitionTime(now).build())
        .withContainerStatuses(new ContainerStatusBuilder()
            .withName(pod.getSpec().getContainers().get(0).getName())
            .withImage(pod.getSpec().getContainers().get(0).getImage())
            .withReady(key.ready()).withStarted(running).withRestartCount(key.restarts()).build())
        .build();
    UnaryOperator<Pod> withStatus = p -> new PodBuilder(p).withStatus(status).build();
    try {
      client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).editStatus(withStatus);
    } catch (RuntimeException e) {
      client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).edit(withStatus);
    }
    m.written = key;
  }

  /** SIGTERM, then SIGKILL once {@code graceSeconds} have passed; waits (bounded) for the process to be gone. */
  private static void terminate(Member m, long graceSeconds) {
    Process p = m.process;
    m.process = null;
    m.ready = false;
    if (p == null) {
      return;
    }
    try {
      if (graceSeconds > 0) {
        p.destroy();
        if (p.waitFor(graceSeconds, TimeUnit.SECONDS)) {
          return;
        }
        LOG.info("pod runner: pid {} still there {} s after SIGTERM; SIGKILL", p.pid(), graceSeconds);
      }
      p.destroyForcibly();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("pid " + p.pid() + " did not exit within 10 s of SIGKILL");
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private void deleteClaimDirsNotIn(Set<String> liveUids) {
    Path dir = root.resolve("claims");
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> dirs = Files.list(dir)) {
      for (Path d : dirs.filter(Files::isDirectory).toList()) {
        String file = d.getFileName().toString();
        boolean live = liveUids.stream().anyMatch(uid -> file.endsWith("-" + uid));
        boolean inUse = members.values().stream().anyMatch(m -> m.process != null
            && m.claimUids.stream().anyMatch(uid -> file.endsWith("-" + uid)));
        if (!live && !inUse) {
          try (Stream<Path> walk = Files.walk(d)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
              Files.deleteIfExists(p);
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** SIGKILLs pod {@code ordinal}'s process, as a crash would: the pod stays, the process is restarted. */
  public synchronized void killProcess(int ordinal) {
    Member m = members.get(ordinal);
    if (m != null && m.process != null) {
      LOG.info("pod runner: killing {}-{} pid {} (test)", name, ordinal, m.process.pid());
      m.process.destroyForcibly();
    }
  }

  /** Kills pod {@code ordinal}'s process and does not start it again until {@link #release}: a node down. */
  public synchronized void hold(int ordinal) {
    held.add(ordinal);
    Member m = members.get(ordinal);
    if (m != null) {
      terminate(m, 0);
    }
  }

  public void release(int ordinal) {
    held.remove(ordinal);
  }

  /** The pid of pod {@code ordinal}'s process, or -1 when none runs. */
  public synchronized long pid(int ordinal) {
    Member m = members.get(ordinal);
    return m == null || m.process == null ? -1 : m.process.pid();
  }

  /** Stops every process (SIGTERM, then SIGKILL after a few seconds); pods and claims stay in the API server. */
  @Override
  public void close() throws InterruptedException {
    stopped = true;
    loop.interrupt();
    loop.join(30_000);
    synchronized (this) {
      members.values().forEach(m -> terminate(m, 5));
    }
    http.close();
  }
}
