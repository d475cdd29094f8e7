package dev.consensus.faults.harness;

import dev.consensus.faults.history.HistoryRecorder;
import io.grpc.Status;

/**
 * Which failed calls certainly did not happen. An operation counts as failed only when the
 * error proves the server refused it before proposing it to Raft; everything else may have been
 * committed (a timeout or a lost connection after the proposal) and is indeterminate.
 *
 * <ul>
 *   <li>fail: INVALID_ARGUMENT, OUT_OF_RANGE, NOT_FOUND ("requested lease not found"),
 *       ALREADY_EXISTS, PERMISSION_DENIED, UNAUTHENTICATED, UNIMPLEMENTED, FAILED_PRECONDITION,
 *       RESOURCE_EXHAUSTED ("database space exceeded", "too many requests": both checked
 *       before proposing); UNAVAILABLE "rpc not supported for learner" (refused on arrival) and
 *       "no leader" (store-node says it only when Raft refused to append the proposal, or refused
 *       a ReadIndex, for want of a leader); and UNAVAILABLE caused by a refused connection (the
 *       channel never connected, so the request never left the client);
 *   <li>indeterminate: every other UNAVAILABLE ("leader changed", "request timed out", a
 *       connection reset after the request may have been sent), DEADLINE_EXCEEDED, CANCELLED,
 *       ABORTED, UNKNOWN, INTERNAL, DATA_LOSS, and anything that is not a gRPC status.
 * </ul>
 */
final class Errors {

    private Errors() {
    }

    static boolean provesNotApplied(Throwable t) {
        Status s = Status.fromThrowable(t);
        String description = s.getDescription() == null ? "" : s.getDescription();
        return switch (s.getCode()) {
            case INVALID_ARGUMENT, OUT_OF_RANGE, NOT_FOUND, ALREADY_EXISTS, PERMISSION_DENIED, UNAUTHENTICATED,
                 UNIMPLEMENTED, FAILED_PRECONDITION, RESOURCE_EXHAUSTED -> true;
            case UNAVAILABLE -> description.contains("not supported for learner")
                    || description.equals("etcdserver: no leader") || refusedConnection(s.getCause());
            default -> false;
        };
    }

    private static boolean refusedConnection(Throwable cause) {
        for (Throwable c = cause; c != null; c = c.getCause()) {
            if (c instanceof java.net.ConnectException) {
                return true;
            }
        }
        return false;
    }

    static String describe(Throwable t) {
        Status s = Status.fromThrowable(t);
        String text = s.getCode() + (s.getDescription() == null ? "" : ": " + s.getDescription());
        if (s.getCause() != null && s.getCause().getMessage() != null) {
            text += " (" + s.getCause().getMessage() + ")";
        }
        // gRPC's deadline messages carry addresses and nanoseconds: keep reports short.
        return text.length() > 160 ? text.substring(0, 160) + "..." : text;
    }

    /** Completes {@code p} as fail or indeterminate according to {@code t}. */
    static void complete(HistoryRecorder.Pending p, Throwable t) {
        if (provesNotApplied(t)) {
            p.fail(describe(t));
        } else {
            p.indeterminate(describe(t));
        }
    }
}
