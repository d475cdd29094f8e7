package dev.consensus.faults.check;

import dev.consensus.faults.history.Call;
import dev.consensus.faults.history.Fault;
import dev.consensus.faults.history.History;
import dev.consensus.faults.history.Operation;
import dev.consensus.faults.history.Outcome;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Readable lines for reports: times in seconds from the start of the history. */
public final class Describe {

    /** Faults shown before a window, besides those inside it. */
    private static final int FAULTS_BEFORE = 3;

    private final long origin;

    public Describe(History history) {
        this.origin = history.originNanos();
    }

    public String time(long nanos) {
        return String.format("+%.6fs", (nanos - origin) / 1e9);
    }

    public String op(Operation op) {
        String end = op.isIndeterminate() ? "?" : time(op.returnNanos());
        return String.format("#%-5d %-8s %s .. %-14s %s -> %s", op.id(), op.process(), time(op.callNanos()), end,
                call(op.call()), outcome(op));
    }

    public static String call(Call call) {
        return switch (call) {
            case Call.Read r -> "read " + q(r.key()) + (r.mode() == Call.ReadMode.LINEARIZABLE ? ""
                    : " (" + r.mode().name().toLowerCase() + ")");
            case Call.Write w -> "write " + q(w.key()) + " := " + q(w.value())
                    + (w.leaseId() == 0 ? "" : " lease " + w.leaseId());
            case Call.Cas c -> "cas " + q(c.key()) + " " + v(c.expected()) + " -> " + q(c.value());
            case Call.Delete d -> "delete " + q(d.key());
            case Call.LeaseGrant g -> "grant lease " + g.leaseId() + " ttl " + g.ttlSeconds() + "s";
            case Call.LeaseRevoke r -> "revoke lease " + r.leaseId();
            case Call.LeaseKeepAlive k -> "keep-alive lease " + k.leaseId();
        };
    }

    public static String outcome(Operation op) {
        return switch (op.outcome()) {
            case Outcome.Fail f -> "FAIL (" + f.error() + ")";
            case Outcome.Indeterminate i -> "INDETERMINATE (" + i.error() + ")";
            case Outcome.Ok ok -> "ok" + switch (op.call()) {
                case Call.Read r -> " " + v(ok.value()) + (ok.modRevision() > 0 ? " mod " + ok.modRevision() : "");
                case Call.Cas c -> ok.succeeded() ? " swapped" : " compare false";
                case Call.Delete d -> ok.succeeded() ? " deleted" : " nothing to delete";
                case Call.LeaseGrant g -> " lease " + ok.leaseId() + " ttl " + ok.ttlSeconds() + "s";
                case Call.LeaseKeepAlive k -> ok.ttlSeconds() > 0 ? " ttl " + ok.ttlSeconds() + "s" : " lease not found";
                default -> "";
            } + (ok.revision() > 0 ? " rev " + ok.revision() : "");
        };
    }

    public String fault(Fault f) {
        return String.format("%s FAULT %s %s%s", time(f.atNanos()), f.kind(), f.target(),
                f.detail().isEmpty() ? "" : " (" + f.detail() + ")");
    }

    /**
     * Faults worth showing with a window of time: the last few before it and every one inside,
     * so the reader sees what state the cluster was in.
     */
    public List<String> faultsAround(List<Fault> faults, long from, long to) {
        List<String> out = new ArrayList<>();
        int firstInside = 0;
        while (firstInside < faults.size() && faults.get(firstInside).atNanos() < from) {
            firstInside++;
        }
        for (int i = Math.max(0, firstInside - FAULTS_BEFORE); i < faults.size(); i++) {
            Fault f = faults.get(i);
            if (f.atNanos() > to) {
                break;
            }
            out.add(fault(f));
        }
        return out;
    }

    public String ops(Collection<Operation> ops, String indent) {
        StringBuilder sb = new StringBuilder();
        for (Operation op : ops) {
            sb.append(indent).append(op(op)).append('\n');
        }
        return sb.toString();
    }

    /** A value in reports: quoted, or {@code absent}. */
    public static String v(String value) {
        return value == null ? "absent" : q(value);
    }

    static String q(String s) {
        return '"' + s + '"';
    }
}
