package dev.consensus.store.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Lease deadlines, kept by the leader only, as etcd's lessor does: the deadline is a local clock
 * reading, never replicated. A new leader starts every lease afresh at its full TTL and an
 * election timeout (clients cannot have kept alive against a leader that did not exist), and a
 * follower keeps none.
 */
final class LeaseKeeper {

    /**
     * @param revoking the lease expired and its revoke was proposed: a keep-alive must not bring
     *                 it back, since the revoke will still commit (etcd's lessor waits for the
     *                 revoke and answers "not found"; so does this one, at once)
     */
    private record Lease(long ttlSeconds, long deadlineNanos, boolean revoking) {
        Lease(long ttlSeconds, long deadlineNanos) {
            this(ttlSeconds, deadlineNanos, false);
        }
    }

    private final Map<Long, Lease> leases = new ConcurrentHashMap<>();
    private final LongSupplier clock;
    /** The term this member leads in, as far as leases know; 0 while it does not lead. */
    private volatile long primaryTerm;

    LeaseKeeper(LongSupplier nanoClock) {
        this.clock = nanoClock;
    }

    /**
     * This member became leader: every known lease gets its full TTL from now, plus
     * {@code extendNanos} (an election timeout, as etcd's lessor adds): the old leader may have
     * acknowledged a keep-alive after its last quorum contact, and it could not have been
     * replaced sooner than an election timeout after that contact.
     */
    void promote(Map<Long, Long> ttlsById, long extendNanos, long term) {
        leases.clear();
        long now = clock.getAsLong() + extendNanos;
        ttlsById.forEach((id, ttl) -> leases.put(id, new Lease(ttl, now + TimeUnit.SECONDS.toNanos(ttl))));
        primaryTerm = term;
    }

    void demote() {
        primaryTerm = 0;
        leases.clear();
    }

    boolean isPrimary() {
        return primaryTerm != 0;
    }

    void granted(long id, long ttlSeconds) {
        if (isPrimary()) {
            leases.put(id, new Lease(ttlSeconds, clock.getAsLong() + TimeUnit.SECONDS.toNanos(ttlSeconds)));
        }
    }

    void revoked(long id) {
        leases.remove(id);
    }

    /**
     * A keep-alive: the lease's TTL, or empty when this leader does not know it or is already
     * revoking it (found by the fault harness: renewing such a lease acknowledged a keep-alive
     * whose lease vanished a moment later).
     */
    OptionalLong renew(long id) {
        Lease lease = leases.computeIfPresent(id, (k, l) -> l.revoking() ? l
                : new Lease(l.ttlSeconds(), clock.getAsLong() + TimeUnit.SECONDS.toNanos(l.ttlSeconds())));
        return lease == null || lease.revoking() ? OptionalLong.empty() : OptionalLong.of(lease.ttlSeconds());
    }

    /** Seconds left, rounded up as etcd rounds them, or empty when unknown here. */
    OptionalLong remainingSeconds(long id) {
        Lease lease = leases.get(id);
        if (lease == null) {
            return OptionalLong.empty();
        }
        long left = lease.deadlineNanos() - clock.getAsLong();
        return OptionalLong.of(left <= 0 ? 0 : (left + TimeUnit.SECONDS.toNanos(1) - 1) / TimeUnit.SECONDS.toNanos(1));
    }

    /**
     * Leases found past their deadline by the leader of {@code term}: only that leader, in that
     * term, may propose their revokes.
     */
    record Expired(long term, List<Long> ids) {
    }

    /**
     * Leases past their deadline, at most {@code limit}, for the leader to revoke through Raft.
     * Each is given {@code retryNanos} more before it is returned again, so a revoke that is slow
     * to apply, or was not proposed because leadership had changed, is not proposed on every round.
     */
    Expired expired(int limit, long retryNanos) {
        List<Long> out = new ArrayList<>();
        long term = primaryTerm;
        if (term == 0) {
            return new Expired(0, out);
        }
        long now = clock.getAsLong();
        for (Map.Entry<Long, Lease> e : leases.entrySet()) {
            if (out.size() >= limit) {
                break;
            }
            if (now - e.getValue().deadlineNanos() >= 0) {
                out.add(e.getKey());
                leases.computeIfPresent(e.getKey(), (k, l) -> new Lease(l.ttlSeconds(), now + retryNanos, true));
            }
        }
        return new Expired(term, out);
    }
}
