package dev.consensus.crd;

/** A member's place in the Raft group. */
public enum MemberRole {
  Leader,
  Follower,
  Learner
}
