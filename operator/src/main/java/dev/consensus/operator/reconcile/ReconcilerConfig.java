package dev.consensus.operator.reconcile;

import java.time.Duration;

/**
 * The reconciler's limits, each a flag of the operator's command (see {@code OperatorMain}).
 *
 * @param maxLearnerLag a learner counts as caught up when its committed index trails the leader's by
 *     at most this many entries
 * @param caughtUpHold how long a learner must stay caught up before it is promoted, so a learner that
 *     just touched the leader's index once is not given a vote it cannot keep up with
 * @param catchUpDeadline how long a learner may take to catch up (from when the wait began) before it
 *     is removed again and the StatefulSet shrunk back
 * @param retryAfterRollback how long after such a rollback before the next learner is tried
 * @param requeue how often a cluster is looked at again while anything is in progress, and at most
 *     this much times four when it is converged
 * @param callTimeout the bound on each call to a member
 */
public record ReconcilerConfig(long maxLearnerLag, Duration caughtUpHold, Duration catchUpDeadline,
    Duration retryAfterRollback, Duration requeue, Duration callTimeout) {

  public ReconcilerConfig {
    if (maxLearnerLag < 0) {
      throw new IllegalArgumentException("max learner lag must not be negative, got " + maxLearnerLag);
    }
    for (Duration d : new Duration[] {caughtUpHold, catchUpDeadline, retryAfterRollback, requeue, callTimeout}) {
      if (d == null || d.isNegative()) {
        throw new IllegalArgumentException("durations must be given and not negative, got " + d);
      }
    }
  }

  /** Production defaults: a learner gets ten minutes to catch up, and must hold it for ten seconds. */
  public static ReconcilerConfig defaults() {
    return new ReconcilerConfig(1000, Duration.ofSeconds(10), Duration.ofMinutes(10), Duration.ofMinutes(1),
        Duration.ofSeconds(5), Duration.ofSeconds(5));
  }
}
