package dev.consensus.operator.reconcile;

import dev.consensus.crd.ConsensusCluster;
import dev.consensus.crd.MemberStatus;
import dev.consensus.crd.Operation;
import dev.consensus.operator.health.ClusterHealth;
import dev.consensus.operator.health.HexIds;
import dev.consensus.operator.health.MemberInfo;
import dev.consensus.operator.model.ClusterNames;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything one reconcile observed, read fresh from the API server and the members: the planner
 * decides from this alone.
 *
 * @param statefulSet null when it does not exist yet
 * @param configMap the cluster ConfigMap, null when absent
 * @param pods member pods by ordinal
 * @param claims data volume claims by ordinal
 * @param membership the member list, empty when no member answered
 * @param ordinals member ID to ordinal, for members whose peer URL is one of this cluster's
 * @param health computed from the member list and each member's status
 * @param templateHash the hash of the pod template the spec asks for now
 * @param operation the operation recorded in status by the previous step, or null
 */
public record ClusterState(ConsensusCluster cluster, StatefulSet statefulSet, ConfigMap configMap,
    Map<Integer, Pod> pods, Map<Integer, PersistentVolumeClaim> claims, List<MemberInfo> membership,
    Map<Long, Integer> ordinals, ClusterHealth health, String templateHash, Operation operation, Instant now) {

  /** Annotation on a volume claim: the hex ID of the member whose data it holds. */
  public static final String MEMBER_ID_ANNOTATION = "consensus.dev/member-id";
  /** Annotation on the pod template and pods: which template a pod was made from. */
  public static final String TEMPLATE_HASH_ANNOTATION = "consensus.dev/template-hash";

  public ClusterNames names() {
    return ClusterNames.of(cluster);
  }

  public int statefulSetReplicas() {
    Integer r = statefulSet == null || statefulSet.getSpec() == null ? null : statefulSet.getSpec().getReplicas();
    return r == null ? 0 : r;
  }

  public int wantedReplicas() {
    return cluster.getSpec().replicas();
  }

  public int ordinalOf(MemberInfo m) {
    return ordinals.getOrDefault(m.id(), -1);
  }

  public Optional<MemberInfo> member(int ordinal) {
    return membership.stream().filter(m -> ordinalOf(m) == ordinal).findFirst();
  }

  /** The member's row in the health table, by ID. */
  public Optional<MemberStatus> row(long memberId) {
    String hex = HexIds.format(memberId);
    return health.members().stream().filter(r -> hex.equals(r.memberId())).findFirst();
  }

  public boolean healthy(long memberId) {
    return row(memberId).map(r -> Boolean.TRUE.equals(r.healthy())).orElse(false);
  }

  public String claimMark(int ordinal) {
    PersistentVolumeClaim claim = claims.get(ordinal);
    if (claim == null || claim.getMetadata().getAnnotations() == null) {
      return null;
    }
    return claim.getMetadata().getAnnotations().get(MEMBER_ID_ANNOTATION);
  }

  public String podTemplateHash(int ordinal) {
    Pod pod = pods.get(ordinal);
    if (pod == null || pod.getMetadata().getAnnotations() == null) {
      return null;
    }
    return pod.getMetadata().getAnnotations().get(TEMPLATE_HASH_ANNOTATION);
  }

  /** The leader's member ID, if the health found one. */
  public Optional<MemberInfo> leader() {
    String leader = health.leader();
    if (leader == null) {
      return Optional.empty();
    }
    return membership.stream().filter(m -> leader.equals(m.displayName())).findFirst();
  }
}
