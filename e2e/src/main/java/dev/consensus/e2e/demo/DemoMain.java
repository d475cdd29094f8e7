package dev.consensus.e2e.demo;

import dev.consensus.crd.ConsensusCluster;
import dev.consensus.crd.ConsensusClusterSpec;
import dev.consensus.crd.ConsensusClusterStatus;
import dev.consensus.crd.MemberRole;
import dev.consensus.crd.MemberStatus;
import dev.consensus.e2e.harness.LocalHarness;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * {@code make demo}: the seed walkthrough driven through the operator, on the local test harness
 * (see docs/e2e.md): the sample ConsensusCluster of 3 applied, its status table, a put and a get
 * with etcdctl, the leader killed and a new one elected, a scale-out to 5 through learners and back
 * to 3, printing voters, learners, quorum size and failure tolerance at each step. Then everything
 * is stopped, or with {@code --keep} left running until this process is stopped.
 */
public final class DemoMain {

  private static final String NAMESPACE = "default";
  private static final Duration BOUND = Duration.ofMinutes(3);

  private final LocalHarness harness;
  private final String name;
  private String lastLine = "";

  private DemoMain(LocalHarness harness, String name) {
    this.harness = harness;
    this.name = name;
  }

  public static void main(String[] args) throws Exception {
    boolean keep = List.of(args).contains("--keep");
    Path repo = Path.of(System.getProperty("e2e.root", ".")).toAbsolutePath().normalize();
    Path root = repo.resolve("e2e/target/demo").resolve("run-" + System.currentTimeMillis());
    Files.createDirectories(root);
    LocalHarness harness = new LocalHarness(new LocalHarness.Settings(root, repo,
        List.of("--lease-namespace=default", "--caught-up-hold=PT1S", "--requeue=PT1S", "--call-timeout=PT2S")));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      harness.close();
      stopped.countDown();
    }, "demo-stop"));
    int exit = 0;
    try {
      exit = new DemoMain(harness, "demo").walk(repo, root, keep);
    } catch (RuntimeException e) {
      System.out.println("demo failed: " + e.getMessage() + " (logs: " + root.resolve("logs") + ")");
      exit = 1;
    }
    if (keep && exit == 0) {
      stopped.await(); // until Ctrl-C or kill: the shutdown hook stops everything
      return;
    }
    harness.close();
    System.exit(exit);
  }

  private int walk(Path repo, Path root, boolean keep) throws Exception {
    say("Starting the local test harness (a mock API server and a pod runner; not a real Kubernetes) in " + root);
    say("Starting the operator (OperatorMain, its own JVM) against " + harness.api().url());
    harness.startOperator();
    ConsensusCluster sample;
    try (InputStream in = Files.newInputStream(repo.resolve("docs/examples/consensuscluster-minimal.yaml"))) {
      sample = harness.client().getKubernetesSerialization().unmarshal(in, ConsensusCluster.class);
    }
    sample.getMetadata().setNamespace(NAMESPACE);
    say("Applying docs/examples/consensuscluster-minimal.yaml: ConsensusCluster " + sample.getMetadata().getName()
        + ", replicas " + sample.getSpec().replicas());
    harness.create(sample);
    ConsensusClusterStatus s = await("3 members, one leader", st -> settled(st, 3));
    printTable(s);

    List<String> endpoints = harness.clientEndpoints(NAMESPACE, name);
    say("etcdctl put greeting hello  -> " + etcdctl(endpoints, "put", "greeting", "hello").trim());
    say("etcdctl get greeting        -> " + etcdctl(endpoints, "get", "greeting", "--print-value-only").trim());

    String oldLeader = s.leader();
    long oldTerm = s.raftTerm();
    say("Killing the leader's process, " + oldLeader + " (SIGKILL; its pod stays and the process restarts)");
    harness.killMemberProcess(NAMESPACE, oldLeader);
    s = await("a new leader", st -> settled(st, 3) && st.raftTerm() != null && st.raftTerm() > oldTerm);
    say("New leader " + s.leader() + " in term " + s.raftTerm() + "; the value is still there: "
        + etcdctl(endpoints, "get", "greeting", "--print-value-only").trim());
    printTable(s);

    say("Scaling to 5 (spec.replicas): each new member joins as a learner, is promoted once caught up");
    harness.editSpec(NAMESPACE, name, spec -> withReplicas(spec, 5));
    s = await("5 voters", st -> settled(st, 5));
    printTable(s);
    say("Scaling back to 3: the highest members leave, one at a time");
    harness.editSpec(NAMESPACE, name, spec -> withReplicas(spec, 3));
    s = await("3 voters", st -> settled(st, 3));
    printTable(s);

    if (keep) {
      String eps = String.join(",", harness.clientEndpoints(NAMESPACE, name));
      say("");
      say("Left running (KEEP=1). Reach it with:");
      say("  etcdctl --endpoints=" + eps + " endpoint status -w table");
      say("  KUBECONFIG=" + harness.api().kubeconfig() + "  (the harness's mock API server; kubectl get consensusclusters -o yaml)");
      say("Stop it with Ctrl-C, or: kill " + ProcessHandle.current().pid() + "  (this stops the members and the operator too)");
    } else {
      say("Done; stopping the operator and the members.");
    }
    return 0;
  }

  private static ConsensusClusterSpec withReplicas(ConsensusClusterSpec s, int replicas) {
    return new ConsensusClusterSpec(replicas, s.image(), s.version(), s.command(), s.storage(), s.resources(),
        s.pod(), s.store(), s.tls(), s.paused());
  }

  /** Waits for a status, printing the membership line each time it changes. */
  private ConsensusClusterStatus await(String what, Predicate<ConsensusClusterStatus> done) throws InterruptedException {
    long deadline = System.nanoTime() + BOUND.toNanos();
    while (System.nanoTime() < deadline) {
      if (harness.harnessFailure() != null) {
        throw new IllegalStateException("the harness failed: " + harness.harnessFailure());
      }
      ConsensusCluster c = harness.client().resources(ConsensusCluster.class).inNamespace(NAMESPACE).withName(name).get();
      ConsensusClusterStatus s = c == null ? null : c.getStatus();
      if (s != null) {
        String line = String.format("  phase %-13s voters %-32s learners %-12s quorum %s  failure tolerance %s",
            s.phase(), s.voters(), s.learners() == null ? "[]" : s.learners(), s.quorumSize(), s.failureTolerance());
        if (!line.equals(lastLine)) {
          System.out.println(line);
          lastLine = line;
        }
        if (done.test(s)) {
          return s;
        }
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("no " + what + " within " + BOUND);
  }

  private static boolean settled(ConsensusClusterStatus s, int n) {
    return s.conditions() != null
        && s.conditions().stream().anyMatch(c -> "Available".equals(c.getType()) && "True".equals(c.getStatus()))
        && s.voters() != null && s.voters().size() == n && (s.learners() == null || s.learners().isEmpty())
        && s.members() != null && s.members().size() == n
        && s.members().stream().allMatch(m -> Boolean.TRUE.equals(m.healthy()))
        && s.members().stream().filter(m -> m.role() == MemberRole.Leader).count() == 1 && s.operation() == null;
  }

  private static void printTable(ConsensusClusterStatus s) {
    System.out.printf("  %-8s %-17s %-9s %6s %8s %8s%n", "MEMBER", "ID", "ROLE", "TERM", "INDEX", "HEALTHY");
    for (MemberStatus m : s.members()) {
      System.out.printf("  %-8s %-17s %-9s %6s %8s %8s%n", m.name(), m.memberId(), m.role(), m.raftTerm(),
          m.raftIndex(), m.healthy());
    }
  }

  private static void say(String line) {
    System.out.println(line);
  }

  private static String etcdctl(List<String> endpoints, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("/usr/bin/etcdctl", "--endpoints=" + String.join(",", endpoints),
        "--command-timeout=5s"));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("ETCDCTL_API", "3");
    Process p = pb.start();
    if (!p.waitFor(20, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return "(etcdctl did not answer within 20 s)";
    }
    return Objects.toString(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }
}
