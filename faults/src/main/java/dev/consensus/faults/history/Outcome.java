package dev.consensus.faults.history;

import java.util.Objects;

/**
 * How an operation ended, as far as the client can tell. The checkers lean on the difference:
 * an {@link Ok} happened exactly once between call and return, a {@link Fail} never happened,
 * an {@link Indeterminate} may have happened at any time after its call, or never.
 */
public sealed interface Outcome permits Outcome.Ok, Outcome.Fail, Outcome.Indeterminate {

    /**
     * The server answered. Which fields mean something depends on the call:
     *
     * @param value       read: the value seen, {@code null} when the key was absent
     * @param revision    the response header's revision; 0 when unknown. For a write, a
     *                    successful compare-and-set and a delete that deleted, the revision
     *                    the operation created
     * @param modRevision read: the key's mod_revision, 0 when absent or unknown
     * @param succeeded   compare-and-set: the compare held; delete: a key was deleted; true for
     *                    everything else
     * @param leaseId     grant: the lease's ID
     * @param ttlSeconds  grant and keep-alive: the TTL the server answered with; a keep-alive
     *                    answering 0 or less says the lease was not found
     */
    record Ok(String value, long revision, long modRevision, boolean succeeded, long leaseId,
              long ttlSeconds) implements Outcome {

        public static Ok read(String value, long modRevision, long revision) {
            return new Ok(value, revision, modRevision, true, 0, 0);
        }

        public static Ok written(long revision) {
            return new Ok(null, revision, 0, true, 0, 0);
        }

        public static Ok cas(boolean succeeded, long revision) {
            return new Ok(null, revision, 0, succeeded, 0, 0);
        }

        public static Ok deleted(boolean deleted, long revision) {
            return new Ok(null, revision, 0, deleted, 0, 0);
        }

        public static Ok granted(long leaseId, long ttlSeconds, long revision) {
            return new Ok(null, revision, 0, true, leaseId, ttlSeconds);
        }

        public static Ok keptAlive(long ttlSeconds, long revision) {
            return new Ok(null, revision, 0, true, 0, ttlSeconds);
        }

        public static Ok revoked(long revision) {
            return new Ok(null, revision, 0, true, 0, 0);
        }
    }

    /**
     * The operation certainly did not take effect: an error that proves it was not applied
     * (a request refused before proposing, {@code lease not found}, a validation error). A
     * compare that did not hold is not a Fail but an {@link Ok} with {@code succeeded=false}.
     */
    record Fail(String error) implements Outcome {
        public Fail {
            Objects.requireNonNull(error, "error");
        }
    }

    /**
     * The client cannot tell: timeout, unavailable, connection lost, or no answer before the
     * run ended. The operation may take effect at any time after its call, or never.
     */
    record Indeterminate(String error) implements Outcome {
        public Indeterminate {
            Objects.requireNonNull(error, "error");
        }
    }
}
