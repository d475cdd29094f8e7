package dev.consensus.store.metrics;

/**
 * The server's side of the health endpoints: it reports the facts, {@link HealthEndpoints}
 * turns them into etcd's answers.
 */
@FunctionalInterface
public interface HealthCheck {

    /**
     * The member's alarms, leader, learner state, and the outcome of one read of the key space
     * (etcd reads one key, keys only): serializable (local) when {@code serializable} is true,
     * linearizable otherwise. {@code /health?serializable=true} and {@code /livez} pass true.
     *
     * <p>It is called from an HTTP thread and may block; the caller stops waiting after its
     * timeout and reports {@link HealthStatus#TIMED_OUT}, so an implementation should bound its
     * own read a little shorter, and may skip a linearizable read it knows must fail (no leader),
     * reporting the error it would have got.
     */
    HealthStatus check(boolean serializable);
}
