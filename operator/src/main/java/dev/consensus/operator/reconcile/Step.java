package dev.consensus.operator.reconcile;

/**
 * One thing the reconciler does in one reconcile. The planner picks exactly one from what the
 * cluster and the API show; the executor does it; the next reconcile looks again. Because no step
 * depends on a previous reconcile's memory, an operator killed between any two steps and started
 * again picks the same next step.
 */
public sealed interface Step {

  /** No StatefulSet yet: the bootstrap ConfigMap (member 0 alone, state new) and a StatefulSet of one. */
  record Bootstrap() implements Step {
  }

  /** {@code MemberAdd} as a learner, at member {@code ordinal}'s peer URL. */
  record AddLearner(int ordinal) implements Step {
  }

  /** The cluster ConfigMap with the whole membership and state existing, before the learner's pod starts. */
  record WriteJoiningConfig() implements Step {
  }

  /** The StatefulSet's replica count (the template follows the spec at every step). */
  record ScaleStatefulSet(int replicas) implements Step {
  }

  /** Records on member {@code ordinal}'s volume claim which member's data it holds, to tell a lost volume later. */
  record MarkClaim(int ordinal, long memberId) implements Step {
  }

  record Promote(int ordinal, long memberId) implements Step {
  }

  record MoveLeader(int fromOrdinal, long leaderId, int toOrdinal, long transfereeId) implements Step {
  }

  record RemoveMember(int ordinal, long memberId) implements Step {
  }

  /** Deletes a claim that belongs to no member (after a scale-in), so a later member starts clean. */
  record DeleteClaim(int ordinal) implements Step {
  }

  /** Deletes member {@code ordinal}'s pod and claim: it left the membership and must rejoin with an empty data dir. */
  record WipeMember(int ordinal) implements Step {
  }

  /** Deletes a pod whose template is out of date; the StatefulSet recreates it from the new template. */
  record RestartPod(int ordinal) implements Step {
  }

  /** Nothing to do now but look again: waiting on the cluster, paused, or converged. */
  record Wait(String why) implements Step {
  }

  /** A step is needed but would leave the cluster unable to keep quorum with its healthy members. */
  record Refuse(String why) implements Step {
  }
}
