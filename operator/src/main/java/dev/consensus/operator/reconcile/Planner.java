package dev.consensus.operator.reconcile;

import dev.consensus.crd.MemberStatus;
import dev.consensus.crd.Operation;
import dev.consensus.crd.OperationKind;
import dev.consensus.operator.health.ClusterHealth;
import dev.consensus.operator.health.HexIds;
import dev.consensus.operator.health.MemberInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Picks the one next step from a {@link ClusterState}, with no I/O: the state machine of docs/operator.md.
 * In order: bootstrap; wait while paused or without quorum; a learner in flight (its ConfigMap, its pod,
 * its catch-up, its promotion or its rollback); a voter whose volume was lost (replace it); leftover
 * StatefulSet replicas and claims of removed members; scale in or out by one member; a rolling restart.
 */
public final class Planner {

  static final String ROLLED_BACK = "RolledBack";
  static final String WAIT_CAUGHT_UP = "WaitCaughtUp";
  static final String HOLD_CAUGHT_UP = "HoldCaughtUp";
  static final String VOLUME_WIPED = "VolumeWiped";

  private final ReconcilerConfig config;

  public Planner(ReconcilerConfig config) {
    this.config = config;
  }

  public Plan plan(ClusterState s) {
    if (s.statefulSet() == null) {
      return new Plan(new Step.Bootstrap(), op(s, OperationKind.ScaleOut, "Bootstrap", s.names().member(0)));
    }
    if (s.cluster().getSpec().isPaused()) {
      return new Plan(new Step.Wait("spec.paused is true"), s.operation());
    }
    ClusterHealth h = s.health();
    if (!h.membershipKnown()) {
      return new Plan(new Step.Wait("no member answers the member list yet"), s.operation());
    }
    if (!h.available()) {
      return new Plan(new Step.Wait("quorum lost, down: " + String.join(", ", h.unhealthyMembers())), s.operation());
    }
    List<MemberInfo> foreign = s.membership().stream().filter(m -> s.ordinalOf(m) < 0).toList();
    if (!foreign.isEmpty()) {
      return refuse(s, "members with peer URLs that are not this cluster's: " + foreign.stream()
          .map(m -> m.displayName() + " " + m.peerUrls()).toList());
    }
    Optional<MemberInfo> learner = s.membership().stream().filter(MemberInfo::learner)
        .min(Comparator.comparingInt(s::ordinalOf));
    if (learner.isPresent()) {
      return planLearner(s, learner.get());
    }
    return planVoters(s);
  }

  private Plan planLearner(ClusterState s, MemberInfo learner) {
    int j = s.ordinalOf(learner);
    String name = s.names().member(j);
    int voters = s.health().voters().size();
    OperationKind kind = s.operation() != null && s.operation().kind() == OperationKind.ReplaceMember
        ? OperationKind.ReplaceMember : OperationKind.ScaleOut;
    if (voters >= s.wantedReplicas()) {
      return new Plan(new Step.RemoveMember(j, learner.id()), op(s, OperationKind.ScaleIn, "RemoveLearner",
          name + ": spec.replicas is " + s.wantedReplicas() + " and " + voters + " voters exist"));
    }
    if (!JoiningConfig.matches(s)) {
      return new Plan(new Step.WriteJoiningConfig(), op(s, kind, "WriteConfig", name));
    }
    if (s.statefulSetReplicas() <= j) {
      return new Plan(new Step.ScaleStatefulSet(j + 1), op(s, kind, "GrowStatefulSet", name));
    }
    Optional<MemberStatus> row = s.row(learner.id());
    Long lag = row.map(MemberStatus::lag).orElse(null);
    boolean caughtUp = row.map(r -> Boolean.TRUE.equals(r.healthy())).orElse(false) && lag != null
        && lag <= config.maxLearnerLag();
    Operation prev = s.operation();
    boolean holding = prev != null && HOLD_CAUGHT_UP.equals(prev.step());
    boolean waiting = prev != null && WAIT_CAUGHT_UP.equals(prev.step());
    String detail = name + (lag == null ? ": not answering" : ": " + lag + " entries behind");
    if (!caughtUp) {
      if (waiting && elapsed(s, prev).compareTo(config.catchUpDeadline()) >= 0) {
        return new Plan(new Step.RemoveMember(j, learner.id()), op(s, kind, ROLLED_BACK, name
            + " did not catch up within " + config.catchUpDeadline().toSeconds() + "s (" + detail.substring(
                name.length() + 2) + "): removed"));
      }
      return new Plan(new Step.Wait("learner " + detail), op(s, kind, WAIT_CAUGHT_UP, detail));
    }
    if (!holding) {
      return new Plan(new Step.Wait("learner " + detail), op(s, kind, HOLD_CAUGHT_UP, detail));
    }
    if (!HexIds.format(learner.id()).equals(s.claimMark(j)) && s.claims().containsKey(j)) {
      return new Plan(new Step.MarkClaim(j, learner.id()), prev);
    }
    if (elapsed(s, prev).compareTo(config.caughtUpHold()) < 0) {
      return new Plan(new Step.Wait("learner " + detail), op(s, kind, HOLD_CAUGHT_UP, detail));
    }
    int healthyAfter = s.health().healthyVoters() + 1;
    if (healthyAfter < ClusterHealth.quorumOf(voters + 1)) {
      return refuse(s, "promoting " + name + " would make " + (voters + 1) + " voters with only " + healthyAfter
          + " healthy, below the quorum of " + ClusterHealth.quorumOf(voters + 1));
    }
    return new Plan(new Step.Promote(j, learner.id()), op(s, kind, "Promote", detail));
  }

  private Plan planVoters(ClusterState s) {
    TreeSet<Integer> voters = new TreeSet<>();
    s.membership().forEach(m -> voters.add(s.ordinalOf(m)));
    int k = voters.size();
    int wanted = s.wantedReplicas();
    int replicas = s.statefulSetReplicas();
    for (int j : voters) {
      MemberInfo m = s.member(j).orElseThrow();
      String mark = s.claimMark(j);
      // Every voter's claim is marked before it gets its vote (member 0's while it is alone), so a
      // voter whose claim is unmarked or marked for another member lost its volume since.
      boolean lost = s.claims().containsKey(j) && k > 1 && !HexIds.format(m.id()).equals(mark);
      if (lost) {
        return removeVoter(s, j, m, OperationKind.ReplaceMember, "RemoveMember", s.names().member(j)
            + ": its volume claim does not hold its data (marked " + mark + "), it rejoins as a learner");
      }
    }
    boolean rolledBack = s.operation() != null && ROLLED_BACK.equals(s.operation().step());
    if ((k >= wanted || rolledBack) && replicas > voters.last() + 1) {
      return new Plan(new Step.ScaleStatefulSet(replicas - 1), keepRollback(s,
          op(s, OperationKind.ScaleIn, "ShrinkStatefulSet", s.names().member(replicas - 1))));
    }
    for (int ordinal : s.claims().keySet()) {
      if (ordinal >= replicas && !voters.contains(ordinal)) {
        if (s.pods().containsKey(ordinal)) {
          // The claim goes once its pod is gone; the next membership step waits for that.
          return new Plan(new Step.Wait("pod " + s.names().member(ordinal) + " is still terminating"),
              s.operation());
        }
        return new Plan(new Step.DeleteClaim(ordinal), keepRollback(s,
            op(s, OperationKind.ScaleIn, "DeleteClaim", s.names().member(ordinal))));
      }
    }
    if (k == 1) {
      MemberInfo only = s.member(voters.first()).orElseThrow();
      if (s.claims().containsKey(voters.first()) && !HexIds.format(only.id()).equals(s.claimMark(voters.first()))
          && s.healthy(only.id())) {
        return new Plan(new Step.MarkClaim(voters.first(), only.id()), s.operation());
      }
    }
    if (k > wanted) {
      return scaleIn(s, voters);
    }
    if (k < wanted) {
      return scaleOut(s, voters);
    }
    return RollingRestart.plan(s, voters);
  }

  private Plan scaleIn(ClusterState s, TreeSet<Integer> voters) {
    int j = voters.last();
    MemberInfo m = s.member(j).orElseThrow();
    String name = s.names().member(j);
    Optional<MemberInfo> leader = s.leader();
    if (leader.isPresent() && leader.get().id() == m.id()) {
      Optional<MemberInfo> to = voters.headSet(j).stream().map(o -> s.member(o).orElseThrow())
          .filter(v -> s.healthy(v.id())).findFirst();
      if (to.isEmpty()) {
        return refuse(s, name + " leads and no other voter is healthy to take over");
      }
      return new Plan(new Step.MoveLeader(j, m.id(), s.ordinalOf(to.get()), to.get().id()),
          op(s, OperationKind.ScaleIn, "MoveLeader", name + " leads: leadership goes to " + to.get().displayName()));
    }
    return removeVoter(s, j, m, OperationKind.ScaleIn, "RemoveMember", name);
  }

  private Plan removeVoter(ClusterState s, int j, MemberInfo m, OperationKind kind, String step, String detail) {
    int remaining = s.health().voters().size() - 1;
    int healthyRemaining = s.health().healthyVoters() - (s.healthy(m.id()) ? 1 : 0);
    if (remaining < 1 || healthyRemaining < ClusterHealth.quorumOf(remaining)) {
      return refuse(s, "removing " + s.names().member(j) + " would leave " + remaining + " voters with "
          + healthyRemaining + " healthy, below the quorum of " + ClusterHealth.quorumOf(remaining));
    }
    return new Plan(new Step.RemoveMember(j, m.id()), op(s, kind, step, detail));
  }

  private Plan scaleOut(ClusterState s, TreeSet<Integer> voters) {
    int m = 0;
    while (voters.contains(m)) {
      m++;
    }
    String name = s.names().member(m);
    Operation prev = s.operation();
    if (prev != null && ROLLED_BACK.equals(prev.step())
        && elapsed(s, prev).compareTo(config.retryAfterRollback()) < 0) {
      return new Plan(new Step.Wait("retrying the scale-out after " + config.retryAfterRollback().toSeconds()
          + "s"), prev);
    }
    boolean replacing = m < s.statefulSetReplicas();
    OperationKind kind = replacing ? OperationKind.ReplaceMember : OperationKind.ScaleOut;
    if (replacing) {
      boolean wiped = prev != null && VOLUME_WIPED.equals(prev.step()) && name.equals(prev.detail());
      if (!wiped) {
        return new Plan(new Step.WipeMember(m), op(s, kind, VOLUME_WIPED, name));
      }
    } else if (s.claims().containsKey(m)) {
      if (s.pods().containsKey(m)) {
        return new Plan(new Step.Wait("pod " + name + " of a removed member is still there"), s.operation());
      }
      return new Plan(new Step.DeleteClaim(m), op(s, kind, "DeleteClaim", name));
    }
    return new Plan(new Step.AddLearner(m), op(s, kind, "AddLearner", name));
  }

  private Plan refuse(ClusterState s, String why) {
    return new Plan(new Step.Refuse(why), op(s, s.operation() == null ? OperationKind.ScaleOut
        : s.operation().kind(), "Refused", why));
  }

  /** After a rollback the cleanup steps keep it in status, so the retry waits its time. */
  private static Operation keepRollback(ClusterState s, Operation next) {
    Operation prev = s.operation();
    return prev != null && ROLLED_BACK.equals(prev.step()) ? prev : next;
  }

  static Duration elapsed(ClusterState s, Operation op) {
    try {
      return Duration.between(Instant.parse(op.since()), s.now());
    } catch (RuntimeException e) {
      return Duration.ZERO;
    }
  }

  /** The operation for this step; it keeps its start time while kind and step stay the same. */
  static Operation op(ClusterState s, OperationKind kind, String step, String detail) {
    Operation prev = s.operation();
    String since = prev != null && prev.kind() == kind && step.equals(prev.step()) && prev.since() != null
        ? prev.since() : s.now().toString();
    return new Operation(kind, step, since, detail);
  }
}
