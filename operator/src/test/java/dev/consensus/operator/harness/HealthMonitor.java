package dev.consensus.operator.harness;

import dev.consensus.crd.ConsensusCluster;
import dev.consensus.operator.health.ClusterHealth;
import dev.consensus.operator.health.EndpointReport;
import dev.consensus.operator.health.MemberInfo;
import dev.consensus.operator.members.ClientTls;
import dev.consensus.operator.members.GrpcMembershipClient;
import dev.consensus.operator.members.MembershipException;
import dev.consensus.operator.model.ClusterNames;
import dev.consensus.operator.model.StoreFlags;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Watches a cluster from outside the operator, with its own client: every few hundred milliseconds it
 * asks the members for the member list and each one's status and records the health. Tests read the
 * samples to check that no observed moment had a failure tolerance below a bound, or lost quorum.
 */
public final class HealthMonitor implements AutoCloseable {

  /** One observation: the voters, learners, and the failure tolerance at that moment. */
  public record Sample(long atMs, List<String> voters, List<String> learners, boolean available, int tolerance,
      List<String> problems) {
  }

  private final ConsensusCluster cluster;
  private final LoopbackAddressing addressing;
  private final GrpcMembershipClient members;
  private final List<Sample> samples = new ArrayList<>();
  private final Thread loop;
  private volatile boolean stopped;

  public HealthMonitor(ConsensusCluster cluster, LoopbackAddressing addressing) {
    this(cluster, addressing, null);
  }

  /** A monitor that shows {@code tls} to members that serve https (null: plaintext only). */
  public HealthMonitor(ConsensusCluster cluster, LoopbackAddressing addressing, ClientTls tls) {
    this.members = new GrpcMembershipClient(Duration.ofMillis(700), tls);
    this.cluster = cluster;
    this.addressing = addressing;
    this.loop = Thread.ofPlatform().daemon().name("health-monitor").start(this::run);
  }

  private void run() {
    while (!stopped) {
      ClusterHealth h = observe();
      if (h != null) {
        synchronized (samples) {
          samples.add(new Sample(System.currentTimeMillis(), h.voters(), h.learners(), h.available(),
              h.failureTolerance(), h.members().stream().filter(m -> !Boolean.TRUE.equals(m.healthy()))
              .map(m -> m.name() + ": " + m.errors()).toList()));
        }
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** The health now, or null when no member answers the member list. */
  public ClusterHealth observe() {
    String name = cluster.getMetadata().getName();
    List<MemberInfo> membership = null;
    for (int i = 0; i < 8 && membership == null; i++) {
      try {
        membership = members.memberList(addressing.clientUrl(cluster, name + "-" + i));
      } catch (MembershipException e) {
        // try the next
      }
    }
    if (membership == null) {
      return null;
    }
    Map<Long, EndpointReport> reports = new HashMap<>();
    for (MemberInfo m : membership) {
      String host = m.peerUrls().isEmpty() ? "" : java.net.URI.create(m.peerUrls().get(0)).getHost();
      String scheme = StoreFlags.clientTls(cluster.getSpec()) ? "https" : "http";
      reports.put(m.id(), members.status(m.id(), scheme + "://" + host + ":" + ClusterNames.CLIENT_PORT));
    }
    return ClusterHealth.compute(membership, reports);
  }

  /**
   * The samples below {@code tolerance} (or without quorum) that the next sample confirms. A leader
   * handover (MoveLeader) leaves the transferee without a known leader for a few milliseconds, which
   * one sample can catch; a member really lost stays lost for longer than the 200 ms between samples.
   */
  public static List<Sample> lastingBelow(List<Sample> samples, int tolerance) {
    List<Sample> below = new ArrayList<>();
    for (int i = 0; i + 1 < samples.size(); i++) {
      Sample s = samples.get(i);
      Sample next = samples.get(i + 1);
      if ((!s.available() || s.tolerance() < tolerance) && (!next.available() || next.tolerance() < tolerance)) {
        below.add(s);
      }
    }
    return below;
  }

  /** Samples since {@code fromMs}. */
  public List<Sample> since(long fromMs) {
    synchronized (samples) {
      return samples.stream().filter(s -> s.atMs() >= fromMs).toList();
    }
  }

  @Override
  public void close() throws InterruptedException {
    stopped = true;
    loop.interrupt();
    loop.join(5_000);
    members.close();
  }
}
