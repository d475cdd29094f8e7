package dev.consensus.operator.reconcile;

import dev.consensus.crd.ConsensusCluster;
import dev.consensus.operator.health.HexIds;
import dev.consensus.operator.health.MemberInfo;
import dev.consensus.operator.members.MembershipClient;
import dev.consensus.operator.model.ClusterConfigMapModel;
import dev.consensus.operator.model.ClusterNames;
import dev.consensus.operator.model.MemberAddressing;
import dev.consensus.operator.model.StatefulSetModel;
import dev.consensus.operator.model.StoreFlags;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.Map;

/**
 * Does one {@link Step}: one call to the members or one change in the API server (the bootstrap writes
 * its ConfigMap and StatefulSet together: nothing runs yet). Each is idempotent or fails harmlessly
 * when repeated (a second MemberAdd of the same peer URL is refused by the members).
 */
public class StepExecutor {

  private final KubernetesClient client;
  private final MembershipClient members;
  private final MemberAddressing addressing;
  private final ClusterEvents events;

  public StepExecutor(KubernetesClient client, MembershipClient members, MemberAddressing addressing,
      ClusterEvents events) {
    this.client = client;
    this.members = members;
    this.addressing = addressing;
    this.events = events;
  }

  /** Executes the plan's step; returns whether it changed anything (a membership or object change). */
  public boolean execute(ClusterState s, Plan plan) {
    ConsensusCluster c = s.cluster();
    ClusterNames names = s.names();
    String ns = c.getMetadata().getNamespace();
    switch (plan.step()) {
      case Step.Bootstrap b -> {
        apply(ClusterConfigMapModel.bootstrap(c, addressing));
        apply(statefulSet(s, 1));
        events.normal(c, "Bootstrap", "member " + names.member(0) + " bootstraps a one-member cluster");
      }
      case Step.AddLearner a -> {
        String peerUrl = addressing.peerUrl(c, names.member(a.ordinal()));
        var after = members.addLearner(endpoint(s), peerUrl);
        long id = after.stream().filter(m -> m.peerUrls().contains(peerUrl)).map(MemberInfo::id).findFirst()
            .orElse(0L);
        events.normal(c, "MemberAdded", names.member(a.ordinal()) + " added as learner " + HexIds.format(id)
            + " at " + peerUrl);
      }
      case Step.WriteJoiningConfig w -> apply(JoiningConfig.desired(s));
      case Step.ScaleStatefulSet scale -> {
        apply(statefulSet(s, scale.replicas()));
        events.normal(c, "StatefulSetScaled", "StatefulSet " + names.statefulSet() + " replicas "
            + s.statefulSetReplicas() + " -> " + scale.replicas());
      }
      case Step.MarkClaim mark -> client.persistentVolumeClaims().inNamespace(ns)
          .withName(claimName(names, mark.ordinal()))
          .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"annotations\":{\""
              + ClusterState.MEMBER_ID_ANNOTATION + "\":\"" + HexIds.format(mark.memberId()) + "\"}}}");
      case Step.Promote p -> {
        members.promote(endpoint(s), p.memberId());
        events.normal(c, "MemberPromoted", names.member(p.ordinal()) + " (" + HexIds.format(p.memberId())
            + ") caught up and was promoted to voter");
      }
      case Step.MoveLeader m -> {
        members.moveLeader(addressing.clientUrl(c, names.member(m.fromOrdinal())), m.transfereeId());
        events.normal(c, "LeaderMoved", "leadership moved from " + names.member(m.fromOrdinal()) + " to "
            + names.member(m.toOrdinal()));
      }
      case Step.RemoveMember r -> {
        members.remove(endpoint(s), r.memberId());
        boolean rollback = plan.operation() != null && Planner.ROLLED_BACK.equals(plan.operation().step());
        if (rollback) {
          events.warning(c, "LearnerRolledBack", plan.operation().detail());
        } else {
          events.normal(c, "MemberRemoved", names.member(r.ordinal()) + " (" + HexIds.format(r.memberId())
              + ") removed" + (plan.operation() == null ? "" : ": " + plan.operation().detail()));
        }
      }
      case Step.DeleteClaim d -> {
        client.persistentVolumeClaims().inNamespace(ns).withName(claimName(names, d.ordinal())).delete();
        events.normal(c, "VolumeClaimDeleted", claimName(names, d.ordinal())
            + " deleted: its member left, a later one starts clean");
      }
      case Step.WipeMember w -> {
        client.persistentVolumeClaims().inNamespace(ns).withName(claimName(names, w.ordinal())).delete();
        client.pods().inNamespace(ns).withName(names.member(w.ordinal())).delete();
        events.normal(c, "MemberWiped", names.member(w.ordinal()) + ": pod and volume claim deleted, it rejoins"
            + " with an empty data dir");
      }
      case Step.RestartPod r -> {
        client.pods().inNamespace(ns).withName(names.member(r.ordinal())).delete();
        events.normal(c, "MemberRestarted", names.member(r.ordinal()) + " restarted for the new pod template");
      }
      case Step.Refuse r -> {
        boolean repeated = s.operation() != null && "Refused".equals(s.operation().step())
            && r.why().equals(s.operation().detail());
        if (!repeated) {
          events.warning(c, "StepRefused", r.why());
        }
        return false;
      }
      case Step.Wait w -> {
        return false;
      }
    }
    return true;
  }

  /** The StatefulSet at {@code replicas}, with the spec's current template marked with its hash. */
  StatefulSet statefulSet(ClusterState s, int replicas) {
    StatefulSet sts = StatefulSetModel.desired(s.cluster(), replicas);
    sts.getSpec().getTemplate().getMetadata().getAnnotations()
        .put(ClusterState.TEMPLATE_HASH_ANNOTATION, s.templateHash());
    AppliedSpec.record(sts, s.cluster().getSpec());
    return sts;
  }

  /** Brings the StatefulSet's template up to the spec, at its current replica count, when it differs. */
  void syncTemplate(ClusterState s) {
    if (s.statefulSet() == null) {
      return;
    }
    Map<String, String> annotations = s.statefulSet().getSpec().getTemplate().getMetadata().getAnnotations();
    if (annotations == null || !s.templateHash().equals(annotations.get(ClusterState.TEMPLATE_HASH_ANNOTATION))) {
      apply(statefulSet(s, s.statefulSetReplicas()));
    }
  }

  /** The leader's client URL when there is one, else the first voter's: membership calls go there. */
  private String endpoint(ClusterState s) {
    MemberInfo target = s.leader().orElseGet(() -> s.membership().stream().filter(m -> !m.learner())
        .findFirst().orElseThrow(() -> new IllegalStateException("no voter to send a membership call to")));
    return addressing.clientUrl(s.cluster(), s.names().member(s.ordinalOf(target)));
  }

  static String claimName(ClusterNames names, int ordinal) {
    return StoreFlags.DATA_VOLUME + "-" + names.member(ordinal);
  }

  private void apply(ConfigMap configMap) {
    client.resource(configMap).createOr(existing -> existing.update());
  }

  private void apply(StatefulSet sts) {
    client.resource(sts).createOr(existing -> existing.update());
  }
}
