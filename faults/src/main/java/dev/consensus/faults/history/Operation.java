package dev.consensus.faults.history;

import java.util.Objects;

/**
 * One client operation. A process is one sequential client: it calls its next operation only
 * after the previous one returned (or was given up as indeterminate).
 *
 * @param id          unique within the history
 * @param process     the client that issued it
 * @param callNanos   when the client sent it
 * @param returnNanos when the client got the answer or gave up; for an indeterminate
 *                    operation the checkers treat it as +infinity and keep this for reports
 */
public record Operation(long id, String process, Call call, long callNanos, long returnNanos,
                        Outcome outcome) implements Entry {

    public Operation {
        Objects.requireNonNull(process, "process");
        Objects.requireNonNull(call, "call");
        Objects.requireNonNull(outcome, "outcome");
        if (returnNanos < callNanos) {
            throw new IllegalArgumentException(
                    "operation " + id + " returns (" + returnNanos + ") before its call (" + callNanos + ")");
        }
    }

    @Override
    public long atNanos() {
        return callNanos;
    }

    public boolean isOk() {
        return outcome instanceof Outcome.Ok;
    }

    public boolean isFail() {
        return outcome instanceof Outcome.Fail;
    }

    public boolean isIndeterminate() {
        return outcome instanceof Outcome.Indeterminate;
    }

    /** The answer, for an operation known to be {@link #isOk()}. */
    public Outcome.Ok ok() {
        return (Outcome.Ok) outcome;
    }

    /** The key, or {@code null} for a lease operation. */
    public String keyOrNull() {
        return call instanceof Call.KeyCall k ? k.key() : null;
    }

    /** Whether this operation may have changed its key: a write, compare-and-set or delete that did not fail. */
    public boolean mayMutateKey() {
        if (isFail()) {
            return false;
        }
        return switch (call) {
            case Call.Write w -> true;
            case Call.Delete d -> !isOk() || ok().succeeded();
            case Call.Cas c -> !isOk() || ok().succeeded();
            default -> false;
        };
    }

    /**
     * The revision this operation is known to have created: an acknowledged write, successful
     * compare-and-set or delete that deleted, with a revision in its answer; else 0.
     */
    public long createdRevision() {
        if (!isOk() || !mayMutateKey()) {
            return 0;
        }
        return ok().revision();
    }
}
