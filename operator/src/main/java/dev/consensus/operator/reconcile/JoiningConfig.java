package dev.consensus.operator.reconcile;

import dev.consensus.operator.health.MemberInfo;
import dev.consensus.operator.model.ClusterConfigMapModel;
import dev.consensus.operator.model.PeerMember;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The cluster ConfigMap a joining learner needs: the whole membership, named by ordinal (an unstarted
 * learner has no name in the member list yet), and state existing.
 */
final class JoiningConfig {

  private JoiningConfig() {
  }

  static List<PeerMember> peers(ClusterState s) {
    return s.membership().stream()
        .sorted(Comparator.comparingInt(s::ordinalOf))
        .map(m -> new PeerMember(s.names().member(s.ordinalOf(m)), firstPeerUrl(m)))
        .toList();
  }

  static ConfigMap desired(ClusterState s) {
    return ClusterConfigMapModel.joining(s.cluster(), peers(s));
  }

  static boolean matches(ClusterState s) {
    if (s.configMap() == null || s.configMap().getData() == null) {
      return false;
    }
    Map<String, String> want = desired(s).getData();
    return want.equals(s.configMap().getData());
  }

  private static String firstPeerUrl(MemberInfo m) {
    return m.peerUrls().isEmpty() ? "" : m.peerUrls().get(0);
  }
}
