package dev.consensus.faults.check;

import dev.consensus.faults.history.Call;
import dev.consensus.faults.history.History;
import dev.consensus.faults.history.Operation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Revisions, as the clients saw them in response headers:
 *
 * <ul>
 *   <li>never backwards in real time: when operation A returned before B was called (both
 *       answered, both linearizable), B's revision is at least A's, and greater when B created
 *       a revision. For one client, whose operations never overlap, this is "the revisions a
 *       client sees never go backwards"; across clients it is the same property linearizable
 *       reads promise;
 *   <li>one revision, one change: two acknowledged changes never got the same revision (every
 *       workload operation changes one key);
 *   <li>a read's mod_revision is at most its header revision, and equals the revision
 *       acknowledged to the only write of that value.
 * </ul>
 *
 * Serializable reads and keep-alives are left out: they may be served by a member behind the
 * leader. Operations whose answer carried no revision (0) are left out too.
 */
public final class RevisionChecker implements Checker {

    public static final String NAME = "revisions";
    private static final int MAX_FINDINGS = 10;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CheckResult check(History history) {
        Describe d = new Describe(history);
        List<Operation> ops = new ArrayList<>();
        for (Operation op : history.operations()) {
            if (op.isOk() && op.ok().revision() > 0 && linearizable(op)) {
                ops.add(op);
            }
        }
        List<Finding> findings = new ArrayList<>();
        realTime(d, ops, findings);
        uniqueRevisions(d, ops, findings);
        readRevisions(d, history.operations(), findings);
        long processes = ops.stream().map(Operation::process).distinct().count();
        if (findings.size() > MAX_FINDINGS) {
            int more = findings.size() - MAX_FINDINGS;
            findings = new ArrayList<>(findings.subList(0, MAX_FINDINGS));
            findings.add(new Finding(NAME, Status.VIOLATION, "... and " + more + " more revision violations", ""));
        }
        return CheckResult.of(NAME, (int) processes, findings);
    }

    private static boolean linearizable(Operation op) {
        return switch (op.call()) {
            case Call.Read r -> r.mode() != Call.ReadMode.SERIALIZABLE;
            case Call.LeaseKeepAlive k -> false;
            default -> true;
        };
    }

    private static void realTime(Describe d, List<Operation> ops, List<Finding> findings) {
        List<Operation> byReturn = new ArrayList<>(ops);
        byReturn.sort(Comparator.comparingLong(Operation::returnNanos));
        List<Operation> byCall = new ArrayList<>(ops);
        byCall.sort(Comparator.comparingLong(Operation::callNanos));
        Operation highest = null;
        int next = 0;
        for (Operation b : byCall) {
            while (next < byReturn.size() && byReturn.get(next).returnNanos() < b.callNanos()) {
                Operation a = byReturn.get(next++);
                if (highest == null || a.ok().revision() > highest.ok().revision()) {
                    highest = a;
                }
            }
            if (highest == null) {
                continue;
            }
            long seen = highest.ok().revision();
            long rev = b.ok().revision();
            boolean created = b.createdRevision() > 0;
            if (rev < seen || (created && rev == seen)) {
                String who = highest.process().equals(b.process())
                        ? "client " + b.process() + " saw the revision go backwards"
                        : "revision went backwards in real time (" + highest.process() + " then " + b.process() + ")";
                findings.add(new Finding(NAME, Status.VIOLATION,
                        who + ": " + rev + (created ? " created" : " seen") + " after " + seen + " had been returned",
                        d.ops(List.of(highest, b), "    ").stripTrailing()));
            }
        }
    }

    private static void uniqueRevisions(Describe d, List<Operation> ops, List<Finding> findings) {
        Map<Long, Operation> byRevision = new HashMap<>();
        for (Operation op : ops) {
            long r = op.createdRevision();
            if (r == 0) {
                continue;
            }
            Operation other = byRevision.putIfAbsent(r, op);
            if (other != null) {
                findings.add(new Finding(NAME, Status.VIOLATION, "two acknowledged changes got revision " + r,
                        d.ops(List.of(other, op), "    ").stripTrailing()));
            }
        }
    }

    private static void readRevisions(Describe d, List<Operation> all, List<Finding> findings) {
        Map<String, List<Operation>> writersOf = new HashMap<>();
        for (Operation op : all) {
            String v = switch (op.call()) {
                case Call.Write w -> w.value();
                case Call.Cas c -> c.value();
                default -> null;
            };
            if (v != null && !op.isFail()) {
                writersOf.computeIfAbsent(op.keyOrNull() + "\u0000" + v, k -> new ArrayList<>()).add(op);
            }
        }
        for (Operation read : all) {
            if (!(read.call() instanceof Call.Read r) || !read.isOk() || read.ok().value() == null
                    || read.ok().modRevision() <= 0) {
                continue;
            }
            long mod = read.ok().modRevision();
            if (r.mode() != Call.ReadMode.SERIALIZABLE && read.ok().revision() > 0 && mod > read.ok().revision()) {
                findings.add(new Finding(NAME, Status.VIOLATION, "read of \"" + r.key() + "\" has mod_revision "
                        + mod + " above its header revision " + read.ok().revision(), d.op(read)));
            }
            List<Operation> writers = writersOf.getOrDefault(r.key() + "\u0000" + read.ok().value(), List.of());
            if (writers.size() == 1 && writers.get(0).createdRevision() > 0
                    && writers.get(0).createdRevision() != mod) {
                findings.add(new Finding(NAME, Status.VIOLATION, "read of \"" + r.key() + "\" shows mod_revision "
                        + mod + " for a value whose write was acknowledged at revision "
                        + writers.get(0).createdRevision(), d.ops(List.of(writers.get(0), read), "    ").stripTrailing()));
            }
        }
    }
}
