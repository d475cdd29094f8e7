package dev.consensus.crd;

/**
 * A one-word summary of the cluster for {@code kubectl get}; the conditions carry the detail.
 * When several apply, the first in this order wins: Invalid, Pending, Unavailable, Paused,
 * Reconfiguring, Degraded, Running.
 */
public enum ClusterPhase {
  /** No member has ever reported a cluster ID: the first member is still bootstrapping. */
  Pending,
  /** A leader, a healthy quorum, every member healthy, nothing in progress. */
  Running,
  /** A membership change or restart is in progress, or the membership differs from spec.replicas. */
  Reconfiguring,
  /** Available, but at least one member is unhealthy. */
  Degraded,
  /** No leader, or fewer healthy voters than a quorum: writes and linearizable reads stop. */
  Unavailable,
  /** spec.paused is true: the operator changes nothing. */
  Paused,
  /** The spec breaks a rule the schema cannot express; nothing of it was applied. */
  Invalid
}
