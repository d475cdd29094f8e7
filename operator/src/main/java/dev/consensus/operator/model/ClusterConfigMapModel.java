package dev.consensus.operator.model;

import dev.consensus.crd.ConsensusCluster;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The ConfigMap a starting member reads its {@code --initial-cluster} and
 * {@code --initial-cluster-state} from (as environment variables, resolved when the container
 * starts). One ConfigMap serves every member because the operator adds members one at a time:
 *
 * <ul>
 *   <li>before the first member exists it holds that member alone, state {@code new}: member 0
 *       bootstraps a one-member cluster;</li>
 *   <li>after each {@code MemberAdd} and before the StatefulSet grows, the operator rewrites it with
 *       the whole membership the add returned, state {@code existing}: the joining member learns
 *       every peer and joins instead of bootstrapping.</li>
 * </ul>
 *
 * A member that restarts with its data dir ignores both values (etcd and store-node start from their
 * WAL), so later rewrites do not disturb it; its name is in the list, as store-node's flag check wants.
 */
public final class ClusterConfigMapModel {

  public static final String INITIAL_CLUSTER_KEY = "initial-cluster";
  public static final String INITIAL_CLUSTER_STATE_KEY = "initial-cluster-state";

  private ClusterConfigMapModel() {
  }

  /** Before any member exists: member 0 alone, bootstrapping. */
  public static ConfigMap bootstrap(ConsensusCluster cluster) {
    return bootstrap(cluster, MemberAddressing.DNS);
  }

  /** Before any member exists: member 0 alone, bootstrapping, at the peer URL {@code addressing} gives it. */
  public static ConfigMap bootstrap(ConsensusCluster cluster, MemberAddressing addressing) {
    String first = ClusterNames.of(cluster).member(0);
    return configMap(cluster, List.of(new PeerMember(first, addressing.peerUrl(cluster, first))), "new");
  }

  /** After a MemberAdd: every member of the membership, the new one included, joining an existing cluster. */
  public static ConfigMap joining(ConsensusCluster cluster, List<PeerMember> membership) {
    if (membership.isEmpty()) {
      throw new IllegalArgumentException("a joining member needs the existing membership, got none");
    }
    return configMap(cluster, membership, "existing");
  }

  /** etcd's {@code --initial-cluster} form: name=url pairs, comma-separated, in the order given. */
  public static String initialCluster(List<PeerMember> members) {
    return members.stream().map(m -> m.name() + "=" + m.peerUrl()).collect(Collectors.joining(","));
  }

  private static ConfigMap configMap(ConsensusCluster cluster, List<PeerMember> members, String state) {
    Map<String, String> data = new LinkedHashMap<>();
    data.put(INITIAL_CLUSTER_KEY, initialCluster(members));
    data.put(INITIAL_CLUSTER_STATE_KEY, state);
    return new ConfigMapBuilder()
        .withMetadata(ObjectMetas.owned(cluster, ClusterNames.of(cluster).clusterConfigMap()))
        .withData(data)
        .build();
  }
}
