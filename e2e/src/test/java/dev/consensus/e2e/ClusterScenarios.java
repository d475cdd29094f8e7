package dev.consensus.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.consensus.crd.ConsensusCluster;
import dev.consensus.crd.ConsensusClusterSpec;
import dev.consensus.crd.ConsensusClusterStatus;
import dev.consensus.crd.MemberRole;
import dev.consensus.crd.MemberStatus;
import dev.consensus.crd.StorageSpec;
import dev.consensus.crd.StoreOptions;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The end-to-end scenarios, written once over {@link ClusterBackend}: a subclass says which backend
 * (the local harness; k3s later) and these run on it. Each test has a namespace of its own and
 * deletes its cluster at the end. Every wait is bounded; none asserts on time.
 */
public abstract class ClusterScenarios {

  protected static final String NAME = "demo";
  private static final AtomicInteger NAMESPACES = new AtomicInteger();

  /** The backend, started once for the subclass. */
  protected abstract ClusterBackend backend();

  /**
   * The bound of each wait for the cluster to settle; generous, as the operator adds members one at a
   * time and each member's JVM takes up to half a minute to start on two cores shared with other builds.
   */
  protected Duration settle() {
    return Duration.ofSeconds(240);
  }

  private String namespace;

  protected String newNamespace() {
    namespace = "e2e-" + ProcessHandle.current().pid() + "-" + NAMESPACES.incrementAndGet();
    return namespace;
  }

  @AfterEach
  void deleteCluster() {
    if (namespace != null) {
      backend().delete(namespace, NAME);
      namespace = null;
    }
  }

  /** A cluster of the default store-node image, with Raft timings a loaded machine keeps up with. */
  protected static ConsensusCluster cluster(String namespace, int replicas) {
    return cluster(namespace, replicas, null, null);
  }

  /** A cluster of another image ({@code image} a repository, {@code version} its tag). */
  protected static ConsensusCluster cluster(String namespace, int replicas, String image, String version) {
    ConsensusCluster c = new ConsensusCluster();
    c.setMetadata(new ObjectMetaBuilder().withName(NAME).withNamespace(namespace).build());
    c.setSpec(new ConsensusClusterSpec(replicas, image, version, null,
        new StorageSpec(new Quantity("1Gi"), null, null), null, null,
        new StoreOptions(100, 1000, null, null, null, null), null, false));
    return c;
  }

  protected static ConsensusClusterSpec withReplicas(ConsensusClusterSpec s, int replicas) {
    return new ConsensusClusterSpec(replicas, s.image(), s.version(), s.command(), s.storage(), s.resources(),
        s.pod(), s.store(), s.tls(), s.paused());
  }

  /** Reads the status every 200 ms on a thread of its own until stopped: what was true throughout. */
  protected final class StatusSampler implements AutoCloseable {
    private final List<ConsensusClusterStatus> samples = Collections.synchronizedList(new ArrayList<>());
    private final Thread thread;

    StatusSampler(String ns) {
      thread = Thread.ofPlatform().daemon().name("status-sampler").start(() -> {
        while (!Thread.currentThread().isInterrupted()) {
          try {
            ConsensusClusterStatus s = status(ns);
            if (s != null) {
              samples.add(s);
            }
            Thread.sleep(200);
          } catch (InterruptedException e) {
            return;
          } catch (RuntimeException e) {
            // a failed read is no sample
          }
        }
      });
    }

    List<ConsensusClusterStatus> samples() {
      return List.copyOf(samples);
    }

    @Override
    public void close() throws InterruptedException {
      thread.interrupt();
      thread.join(5_000);
    }
  }

  protected ConsensusClusterStatus status(String ns) {
    ConsensusCluster c = backend().client().resources(ConsensusCluster.class).inNamespace(ns).withName(NAME).get();
    return c == null ? null : c.getStatus();
  }

  /** Waits (bounded) for a status that {@code ok} accepts, failing at once on a fault of the backend itself. */
  protected ConsensusClusterStatus awaitStatus(String ns, Duration bound, Predicate<ConsensusClusterStatus> ok) {
    AtomicReference<ConsensusClusterStatus> last = new AtomicReference<>();
    try {
      await().atMost(bound).pollInterval(Duration.ofMillis(500)).until(() -> {
        Throwable failure = backend().harnessFailure();
        if (failure != null) {
          throw new AssertionError("backend failed: " + failure, failure);
        }
        ConsensusClusterStatus s = status(ns);
        last.set(s);
        return s != null && ok.test(s);
      });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError("status never got there within " + bound + "; last: " + last.get(), e);
    }
    return last.get();
  }

  protected static boolean available(ConsensusClusterStatus s) {
    return s.conditions() != null && s.conditions().stream()
        .anyMatch(c -> "Available".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  protected static boolean unavailable(ConsensusClusterStatus s) {
    return s.conditions() != null && s.conditions().stream()
        .anyMatch(c -> "Available".equals(c.getType()) && "False".equals(c.getStatus()));
  }

  protected static List<MemberStatus> leaders(ConsensusClusterStatus s) {
    return s.members() == null ? List.of() : s.members().stream().filter(m -> m.role() == MemberRole.Leader).toList();
  }

  /** Available, {@code n} voters all healthy, no learner, one leader, no operation in progress. */
  protected static boolean settled(ConsensusClusterStatus s, int n) {
    return available(s) && s.voters() != null && s.voters().size() == n
        && (s.learners() == null || s.learners().isEmpty()) && s.members() != null && s.members().size() == n
        && s.members().stream().allMatch(m -> Boolean.TRUE.equals(m.healthy())) && leaders(s).size() == 1
        && s.operation() == null;
  }

  protected Etcdctl etcdctl(String ns) {
    return new Etcdctl(backend().clientEndpoints(ns, NAME));
  }

  @Test
  void a_3_member_cluster_becomes_Available_with_one_leader_in_the_status_table() {
    String ns = newNamespace();
    backend().create(cluster(ns, 3));
    ConsensusClusterStatus s = awaitStatus(ns, settle(), st -> settled(st, 3));
    assertThat(leaders(s)).hasSize(1);
    assertThat(s.leader()).isEqualTo(leaders(s).get(0).name());
    assertThat(s.members()).extracting(MemberStatus::name).containsExactlyInAnyOrder("demo-0", "demo-1", "demo-2");
    assertThat(s.quorumSize()).isEqualTo(2);
    assertThat(s.failureTolerance()).isEqualTo(1);
  }

  @Test
  void a_3_member_cluster_of_the_stock_etcd_image_becomes_Available_too() {
    String ns = newNamespace();
    backend().create(cluster(ns, 3, "gcr.io/etcd-development/etcd", "v3.4.23"));
    ConsensusClusterStatus s = awaitStatus(ns, settle(), st -> settled(st, 3));
    assertThat(s.members()).allSatisfy(m -> assertThat(m.version()).startsWith("3.4"));
    assertThat(s.failureTolerance()).isEqualTo(1);
  }

  @Test
  void put_and_get_through_the_client_endpoints_and_etcdctl_endpoint_status_matches_the_status_table() {
    String ns = newNamespace();
    backend().create(cluster(ns, 3));
    awaitStatus(ns, settle(), st -> settled(st, 3));
    Etcdctl etcdctl = etcdctl(ns);
    assertThat(etcdctl.run("put", "greeting", "hello").output()).contains("OK");
    assertThat(etcdctl.run("get", "greeting", "--print-value-only").output().trim()).isEqualTo("hello");

    // The table and the status are two observations: compared once both agree on the leader's term.
    AtomicReference<String> table = new AtomicReference<>();
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
      Etcdctl.Result r = etcdctl.run("endpoint", "status", "-w", "table");
      table.set(r.output());
      assertThat(r.ok()).as(r.output()).isTrue();
      ConsensusClusterStatus s = status(ns);
      List<List<String>> rows = Etcdctl.tableRows(r.output());
      assertThat(rows).hasSize(s.members().size());
      // etcdctl 3.4's columns: endpoint, ID, version, db size, is leader, is learner, raft term, index, applied, errors
      List<Long> tableIds = rows.stream().map(row -> Long.parseUnsignedLong(row.get(1), 16)).sorted().toList();
      List<Long> statusIds = s.members().stream().map(m -> Long.parseUnsignedLong(m.memberId().trim(), 16)).sorted()
          .toList();
      assertThat(tableIds).isEqualTo(statusIds);
      List<Long> tableLeaders = rows.stream().filter(row -> row.get(4).equals("true"))
          .map(row -> Long.parseUnsignedLong(row.get(1), 16)).toList();
      assertThat(tableLeaders).containsExactly(Long.parseUnsignedLong(leaders(s).get(0).memberId().trim(), 16));
      assertThat(rows).allSatisfy(row -> assertThat(row.get(6)).isEqualTo(String.valueOf(s.raftTerm())));
      assertThat(rows).allSatisfy(row -> assertThat(row.get(5)).isEqualTo("false"));
    });
    System.out.println(table.get());
  }

  @Test
  void the_leaders_pod_is_killed_a_new_leader_is_elected_and_no_acknowledged_write_is_lost() throws Exception {
    String ns = newNamespace();
    backend().create(cluster(ns, 3));
    ConsensusClusterStatus before = awaitStatus(ns, settle(), st -> settled(st, 3));
    Etcdctl etcdctl = etcdctl(ns);
    try (AcknowledgedWriter writer = new AcknowledgedWriter(etcdctl, "k")) {
      writer.awaitMore(0, 5);
      backend().killMemberProcess(ns, before.leader());
      awaitStatus(ns, settle(), st -> settled(st, 3) && st.raftTerm() != null && st.raftTerm() > before.raftTerm());
      writer.awaitMore(writer.count(), 5);
      writer.close();
      writer.assertAllStored();
    }
  }

  @Test
  void scaling_3_to_5_adds_each_member_as_a_learner_then_a_voter_and_the_failure_tolerance_never_drops_below_1()
      throws Exception {
    String ns = newNamespace();
    backend().create(cluster(ns, 3));
    awaitStatus(ns, settle(), st -> settled(st, 3));
    List<ConsensusClusterStatus> samples;
    try (StatusSampler sampler = new StatusSampler(ns)) {
      backend().editSpec(ns, NAME, s -> withReplicas(s, 5));
      awaitStatus(ns, settle(), st -> settled(st, 5));
      sampler.close();
      samples = sampler.samples();
    }
    for (String added : List.of("demo-3", "demo-4")) {
      ConsensusClusterStatus first = samples.stream()
          .filter(s -> contains(s.voters(), added) || contains(s.learners(), added)).findFirst().orElseThrow(
              () -> new AssertionError(added + " never seen in a sampled status"));
      assertThat(first.learners()).as("%s first seen as a learner", added).contains(added);
    }
    assertThat(samples).filteredOn(s -> s.failureTolerance() != null)
        .allSatisfy(s -> assertThat(s.failureTolerance()).as("failure tolerance in %s", s).isGreaterThanOrEqualTo(1));
  }

  private static boolean contains(List<String> names, String name) {
    return names != null && names.contains(name);
  }

  @Test
  void scaling_5_to_3_with_the_leader_among_the_removed_moves_leadership_first() {
    String ns = newNamespace();
    backend().create(cluster(ns, 5));
    ConsensusClusterStatus five = awaitStatus(ns, settle(), st -> settled(st, 5));
    String highest = "demo-4";
    String highestId = five.members().stream().filter(m -> m.name().equals(highest)).findFirst().orElseThrow()
        .memberId().trim();
    Etcdctl etcdctl = etcdctl(ns);
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).until(() -> {
      etcdctl.run("move-leader", highestId);
      ConsensusClusterStatus s = status(ns);
      return highest.equals(s.leader()) && leaders(s).size() == 1 && highest.equals(leaders(s).get(0).name());
    });
    backend().editSpec(ns, NAME, s -> withReplicas(s, 3));
    ConsensusClusterStatus three = awaitStatus(ns, settle(), st -> settled(st, 3));
    assertThat(three.leader()).isIn("demo-0", "demo-1", "demo-2");
    List<String> reasons = events(ns).stream().map(e -> e.getReason()).toList();
    assertThat(reasons).contains("LeaderMoved");
    assertThat(reasons.indexOf("LeaderMoved")).as("events in order: %s", reasons)
        .isLessThan(reasons.indexOf("MemberRemoved"));
  }

  @Test
  void two_of_three_member_processes_killed_make_the_cluster_unavailable_and_it_recovers_by_itself_when_they_return() {
    String ns = newNamespace();
    backend().create(cluster(ns, 3));
    awaitStatus(ns, settle(), st -> settled(st, 3));
    backend().stopMember(ns, "demo-1");
    backend().stopMember(ns, "demo-2");
    ConsensusClusterStatus down = awaitStatus(ns, settle(), ClusterScenarios::unavailable);
    assertThat(down.conditions()).filteredOn(c -> "Available".equals(c.getType()))
        .allSatisfy(c -> assertThat(c.getMessage()).isNotBlank());
    System.out.println("status while two of three are down: phase=" + down.phase() + " conditions="
        + down.conditions().stream().map(c -> c.getType() + "=" + c.getStatus() + " (" + c.getReason() + ": "
        + c.getMessage() + ")").toList());
    backend().startMember(ns, "demo-1");
    backend().startMember(ns, "demo-2");
    awaitStatus(ns, settle(), st -> settled(st, 3));
  }

  @Test
  void a_pod_deleted_with_its_volume_claim_is_replaced_by_a_new_member_that_is_promoted() {
    String ns = newNamespace();
    backend().create(cluster(ns, 3));
    ConsensusClusterStatus before = awaitStatus(ns, settle(), st -> settled(st, 3));
    MemberStatus victim = before.members().stream().filter(m -> m.role() != MemberRole.Leader).findFirst()
        .orElseThrow();
    backend().deletePodAndClaims(ns, victim.name());
    ConsensusClusterStatus after = awaitStatus(ns, settle(), st -> settled(st, 3) && st.members().stream()
        .anyMatch(m -> m.name().equals(victim.name()) && !m.memberId().trim().equals(victim.memberId().trim())));
    assertThat(after.voters()).contains(victim.name());
    assertThat(events(ns)).extracting(e -> e.getReason()).contains("MemberPromoted");
  }

  @Test
  void the_operator_restarted_in_the_middle_of_a_scale_out_converges() {
    String ns = newNamespace();
    backend().create(cluster(ns, 3));
    awaitStatus(ns, settle(), st -> settled(st, 3));
    backend().editSpec(ns, NAME, s -> withReplicas(s, 5));
    // In the middle: the first new member is in, as a learner or a voter, the second not yet.
    awaitStatus(ns, settle(), st -> contains(st.learners(), "demo-3") || contains(st.voters(), "demo-3"));
    backend().restartOperator();
    ConsensusClusterStatus five = awaitStatus(ns, settle(), st -> settled(st, 5));
    assertThat(five.voters()).containsExactlyInAnyOrder("demo-0", "demo-1", "demo-2", "demo-3", "demo-4");
  }

  @Test
  void a_rolling_restart_after_an_options_change_restarts_the_leader_last_and_writes_keep_working() throws Exception {
    String ns = newNamespace();
    backend().create(cluster(ns, 3));
    ConsensusClusterStatus before = awaitStatus(ns, settle(), st -> settled(st, 3));
    Etcdctl etcdctl = etcdctl(ns);
    try (AcknowledgedWriter writer = new AcknowledgedWriter(etcdctl, "r")) {
      writer.awaitMore(0, 3);
      int atChange = writer.count();
      backend().editSpec(ns, NAME, s -> new ConsensusClusterSpec(s.replicas(), s.image(), s.version(), s.command(),
          s.storage(), s.resources(), s.pod(), new StoreOptions(s.store().heartbeatIntervalMs(),
          s.store().electionTimeoutMs(), 20_000L, s.store().quotaBackendBytes(), s.store().autoCompactionMode(),
          s.store().autoCompactionRetention()), s.tls(), s.paused()));
      awaitStatus(ns, settle(), st -> settled(st, 3) && restarted(ns).size() == 3);
      writer.awaitMore(writer.count(), 3);
      writer.close();
      List<String> restarted = restarted(ns);
      assertThat(restarted).as("MemberRestarted events in order").hasSize(3);
      assertThat(restarted.get(2)).as("restarted last, of %s", restarted).startsWith(before.leader() + " ");
      assertThat(writer.count()).as("writes acknowledged during the rolling restart").isGreaterThan(atChange);
      writer.assertAllStored();
    }
  }

  /**
   * Puts PREFIX0, PREFIX1, ... one after another through etcdctl on its own thread, keeping the keys
   * whose put was acknowledged; once closed, every one of them must be stored.
   */
  private static final class AcknowledgedWriter implements AutoCloseable {
    private final Etcdctl etcdctl;
    private final String prefix;
    private final List<String> acknowledged = Collections.synchronizedList(new ArrayList<>());
    private final Thread thread;

    AcknowledgedWriter(Etcdctl etcdctl, String prefix) {
      this.etcdctl = etcdctl;
      this.prefix = prefix;
      this.thread = Thread.ofPlatform().name("writer").start(() -> {
        for (int i = 0; !Thread.currentThread().isInterrupted(); i++) {
          String key = prefix + i;
          if (etcdctl.run("put", key, "v").output().contains("OK")) {
            acknowledged.add(key);
          }
        }
      });
    }

    int count() {
      return acknowledged.size();
    }

    /** Waits until {@code more} writes beyond the first {@code from} are acknowledged. */
    void awaitMore(int from, int more) {
      await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.size() >= from + more);
    }

    /** Every acknowledged key is readable under the prefix. Call after {@link #close()}. */
    void assertAllStored() {
      Etcdctl.Result keys = etcdctl.run("get", prefix, "--prefix", "--keys-only");
      assertThat(keys.ok()).as(keys.output()).isTrue();
      assertThat(keys.output().lines().filter(l -> !l.isBlank()).toList()).containsAll(List.copyOf(acknowledged));
    }

    /** Stops the writer; a put in flight finishes first (its key counts only if acknowledged). */
    @Override
    public void close() throws InterruptedException {
      thread.interrupt();
      thread.join(30_000);
    }
  }

  /** The messages of the MemberRestarted events, in order. */
  private List<String> restarted(String ns) {
    return events(ns).stream().filter(e -> "MemberRestarted".equals(e.getReason())).map(e -> e.getMessage()).toList();
  }

  /**
   * The cluster's events, in the order they were emitted: the operator names an event
   * NAME.MILLIS-IN-HEX.SEQUENCE (the sequence orders events of one millisecond, within one process).
   */
  protected List<io.fabric8.kubernetes.api.model.Event> events(String ns) {
    return backend().client().v1().events().inNamespace(ns).list().getItems().stream()
        .sorted(java.util.Comparator.comparingLong((io.fabric8.kubernetes.api.model.Event e) -> part(e, 2, 16))
            .thenComparingLong(e -> part(e, 1, 10)))
        .toList();
  }

  /** The {@code fromEnd}-th dot-separated part of the event's name, counted from the end (1 = last). */
  private static long part(io.fabric8.kubernetes.api.model.Event e, int fromEnd, int radix) {
    String[] parts = e.getMetadata().getName().split("\\.");
    try {
      return Long.parseLong(parts[parts.length - fromEnd], radix);
    } catch (RuntimeException ex) {
      return Long.MAX_VALUE;
    }
  }
}
