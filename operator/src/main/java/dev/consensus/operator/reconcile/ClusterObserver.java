package dev.consensus.operator.reconcile;

import dev.consensus.crd.ConsensusCluster;
import dev.consensus.operator.health.ClusterHealth;
import dev.consensus.operator.health.EndpointReport;
import dev.consensus.operator.health.MemberInfo;
import dev.consensus.operator.members.MembershipClient;
import dev.consensus.operator.members.MembershipException;
import dev.consensus.operator.model.ClusterNames;
import dev.consensus.operator.model.Labels;
import dev.consensus.operator.model.MemberAddressing;
import dev.consensus.operator.model.PodTemplateModel;
import dev.consensus.operator.model.StoreFlags;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Reads one {@link ClusterState}: the cluster's objects from the API server, the member list from the
 * first member that answers, and every member's status, asked in parallel so that members that are
 * down cost one call timeout in all, not one each.
 */
final class ClusterObserver implements AutoCloseable {

  /** Member ordinals tried when mapping peer URLs back to members: beyond spec.replicas' maximum of 7. */
  static final int MAX_ORDINALS = 16;

  private final KubernetesClient client;
  private final MembershipClient members;
  private final MemberAddressing addressing;
  private final Clock clock;
  private final ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor();

  ClusterObserver(KubernetesClient client, MembershipClient members, MemberAddressing addressing, Clock clock) {
    this.client = client;
    this.members = members;
    this.addressing = addressing;
    this.clock = clock;
  }

  ClusterState observe(ConsensusCluster cluster) {
    String ns = cluster.getMetadata().getNamespace();
    ClusterNames names = ClusterNames.of(cluster);
    StatefulSet sts = client.apps().statefulSets().inNamespace(ns).withName(names.statefulSet()).get();
    ConfigMap configMap = client.configMaps().inNamespace(ns).withName(names.clusterConfigMap()).get();
    Map<Integer, Pod> pods = new TreeMap<>();
    for (Pod pod : client.pods().inNamespace(ns).withLabels(Labels.selector(cluster)).list().getItems()) {
      int ordinal = names.ordinalOf(pod.getMetadata().getName());
      if (ordinal >= 0 && pod.getMetadata().getDeletionTimestamp() == null) {
        pods.put(ordinal, pod);
      }
    }
    Map<Integer, PersistentVolumeClaim> claims = new TreeMap<>();
    String claimPrefix = StoreFlags.DATA_VOLUME + "-";
    for (PersistentVolumeClaim claim : client.persistentVolumeClaims().inNamespace(ns).list().getItems()) {
      String name = claim.getMetadata().getName();
      int ordinal = name.startsWith(claimPrefix) ? names.ordinalOf(name.substring(claimPrefix.length())) : -1;
      if (ordinal >= 0 && claim.getMetadata().getDeletionTimestamp() == null) {
        claims.put(ordinal, claim);
      }
    }
    int replicas = sts == null || sts.getSpec().getReplicas() == null ? 0 : sts.getSpec().getReplicas();
    List<MemberInfo> membership = sts == null ? List.of() : memberList(cluster, names, Math.max(replicas, 1));
    Map<Long, Integer> ordinals = ordinals(cluster, names, membership);
    Map<Long, EndpointReport> reports = statuses(cluster, names, membership, ordinals);
    return new ClusterState(cluster, sts, configMap, pods, claims, membership, ordinals,
        ClusterHealth.compute(membership, reports), templateHash(cluster),
        cluster.getStatus() == null ? null : cluster.getStatus().operation(), clock.instant());
  }

  /** The pod template's identity: a restart is due when a pod's recorded hash differs from it. */
  static String templateHash(ConsensusCluster cluster) {
    try {
      byte[] json = Serialization.asJson(PodTemplateModel.desired(cluster)).getBytes(StandardCharsets.UTF_8);
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json)).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  private List<MemberInfo> memberList(ConsensusCluster cluster, ClusterNames names, int candidates) {
    for (int i = 0; i < candidates; i++) {
      try {
        return members.memberList(addressing.clientUrl(cluster, names.member(i)));
      } catch (MembershipException e) {
        // Down or not started yet: ask the next one.
      }
    }
    return List.of();
  }

  private Map<Long, Integer> ordinals(ConsensusCluster cluster, ClusterNames names, List<MemberInfo> membership) {
    Map<String, Integer> byPeerUrl = new HashMap<>();
    for (int i = 0; i < MAX_ORDINALS; i++) {
      byPeerUrl.put(addressing.peerUrl(cluster, names.member(i)), i);
    }
    Map<Long, Integer> ordinals = new HashMap<>();
    for (MemberInfo m : membership) {
      m.peerUrls().stream().map(byPeerUrl::get).filter(o -> o != null).findFirst()
          .ifPresent(o -> ordinals.put(m.id(), o));
    }
    return ordinals;
  }

  private Map<Long, EndpointReport> statuses(ConsensusCluster cluster, ClusterNames names,
      List<MemberInfo> membership, Map<Long, Integer> ordinals) {
    List<CompletableFuture<EndpointReport>> asks = new ArrayList<>();
    for (MemberInfo m : membership) {
      Integer ordinal = ordinals.get(m.id());
      if (ordinal == null) {
        asks.add(CompletableFuture.completedFuture(new EndpointReport.Unreachable(m.id(),
            "peer URL " + m.peerUrls() + " is not one of this cluster's members")));
      } else {
        String endpoint = addressing.clientUrl(cluster, names.member(ordinal));
        asks.add(CompletableFuture.supplyAsync(() -> members.status(m.id(), endpoint), calls));
      }
    }
    Map<Long, EndpointReport> reports = new HashMap<>();
    for (CompletableFuture<EndpointReport> ask : asks) {
      EndpointReport r = ask.join();
      reports.put(r.memberId(), r);
    }
    return reports;
  }

  @Override
  public void close() {
    calls.shutdownNow();
  }
}
