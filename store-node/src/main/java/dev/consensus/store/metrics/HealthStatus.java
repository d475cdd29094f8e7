package dev.consensus.store.metrics;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a member knows about its own health at one moment: the facts etcd's {@code /health},
 * {@code /livez} and {@code /readyz} are decided from.
 *
 * <p>Why facts and not a verdict: the three endpoints weigh the same facts differently
 * ({@code /health} stops at the first alarm unless told to exclude it, {@code /livez} looks
 * only at a local read, {@code /readyz} lists every check), so the server reports and
 * {@link HealthEndpoints} decides, in one place, the way etcd does.
 *
 * @param alarms the alarms active in the cluster
 * @param hasLeader whether this member knows a leader
 * @param learner whether this member is a learner
 * @param readError empty if the read asked of {@link HealthCheck#check} succeeded; else its
 *     error in etcd's words, e.g. {@code etcdserver: request timed out}
 */
public record HealthStatus(Set<Alarm> alarms, boolean hasLeader, boolean learner, Optional<String> readError) {

    /** What the endpoints report when a check did not answer in time. */
    public static final String TIMED_OUT = "etcdserver: request timed out";

    public HealthStatus {
        alarms = Set.copyOf(alarms);
        Objects.requireNonNull(readError, "readError");
    }

    /** A voting member with a leader, no alarm, whose read succeeded. */
    public static HealthStatus healthy() {
        return new HealthStatus(Set.of(), true, false, Optional.empty());
    }

    /**
     * A check that gave no answer (it timed out or threw): the read is reported as failed with
     * {@code error}, and nothing else is claimed.
     */
    static HealthStatus unanswered(String error) {
        return new HealthStatus(Set.of(), true, false, Optional.of(error));
    }

    public HealthStatus withAlarms(Alarm... active) {
        return new HealthStatus(Set.of(active), hasLeader, learner, readError);
    }

    public HealthStatus withLeader(boolean leaderKnown) {
        return new HealthStatus(alarms, leaderKnown, learner, readError);
    }

    public HealthStatus asLearner(boolean isLearner) {
        return new HealthStatus(alarms, hasLeader, isLearner, readError);
    }

    public HealthStatus withReadError(String error) {
        return new HealthStatus(alarms, hasLeader, learner, Optional.of(error));
    }
}
