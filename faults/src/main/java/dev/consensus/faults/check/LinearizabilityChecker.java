package dev.consensus.faults.check;

import dev.consensus.faults.history.Call;
import dev.consensus.faults.history.History;
import dev.consensus.faults.history.Operation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Linearizability of every key's history as a register (read, write, compare-and-set, delete),
 * with {@link LinearSearch}. A history of independent keys is linearizable exactly when each
 * key's is (linearizability is compositional), so keys are checked one at a time, each with its
 * own step budget; running out of it gives UNKNOWN for that key, never a hang.
 *
 * <p>Keys that were ever written with a lease are left to {@link LeaseChecker}: the lease can
 * delete them at a moment no operation records. Every key starts absent: a harness that
 * preloads keys records those writes too.
 */
public final class LinearizabilityChecker implements Checker {

    public static final String NAME = "linearizability";
    /** Ops of the blocked window printed before "... and N more". */
    private static final int MAX_PRINTED = 20;
    private static final int PREFIX_SHOWN = 3;

    /** @param maxStepsPerKey the search's budget for one key */
    public record Options(long maxStepsPerKey) {
        public static final Options DEFAULT = new Options(2_000_000);

        public Options {
            if (maxStepsPerKey <= 0) {
                throw new IllegalArgumentException("maxStepsPerKey must be positive, got " + maxStepsPerKey);
            }
        }
    }

    private final Options options;

    public LinearizabilityChecker() {
        this(Options.DEFAULT);
    }

    public LinearizabilityChecker(Options options) {
        this.options = options;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CheckResult check(History history) {
        Map<String, List<Operation>> byKey = registerKeys(history);
        List<Finding> findings = new ArrayList<>();
        for (Map.Entry<String, List<Operation>> e : byKey.entrySet()) {
            Finding f = checkKey(NAME, history, e.getKey(), e.getValue());
            if (f != null) {
                findings.add(f);
            }
        }
        return CheckResult.of(NAME, byKey.size(), findings);
    }

    /** Each key's operations in call order, leaving out keys ever written with a lease. */
    static Map<String, List<Operation>> registerKeys(History history) {
        Map<String, List<Operation>> byKey = new TreeMap<>();
        Set<String> leased = new HashSet<>();
        for (Operation op : history.operations()) {
            if (op.call() instanceof Call.KeyCall k) {
                byKey.computeIfAbsent(k.key(), x -> new ArrayList<>()).add(op);
                if (k instanceof Call.Write w && w.leaseId() != 0) {
                    leased.add(k.key());
                }
            }
        }
        byKey.keySet().removeAll(leased);
        return byKey;
    }

    /**
     * Checks one key's operations; {@code null} when linearizable, else what was found, named
     * after {@code checker}.
     */
    Finding checkKey(String checker, History history, String key, List<Operation> ops) {
        RegisterModel model = new RegisterModel();
        LinearSearch.Result r = LinearSearch.run(model.ops(ops), RegisterModel.ABSENT, options.maxStepsPerKey());
        return switch (r.verdict()) {
            case LINEARIZABLE -> null;
            case BUDGET_EXCEEDED -> new Finding(checker, Status.UNKNOWN,
                    "key \"" + key + "\": unknown (budget of " + options.maxStepsPerKey()
                            + " search steps exceeded, " + ops.size() + " operations)", "");
            case NOT_LINEARIZABLE -> new Finding(checker, Status.VIOLATION,
                    "key \"" + key + "\": not linearizable (" + ops.size() + " operations)",
                    explain(history, key, ops, model, r));
        };
    }

    /** The register after the prefix; a value no read saw is named by the last write of one. */
    private static String stateText(List<Operation> ops, RegisterModel model, LinearSearch.Result r) {
        if (r.stateAfter() == RegisterModel.UNOBSERVED) {
            for (int i = r.prefix().size() - 1; i >= 0; i--) {
                String written = switch (ops.get(r.prefix().get(i)).call()) {
                    case Call.Write w -> w.value();
                    case Call.Cas c -> c.value();
                    default -> null;
                };
                if (written != null && model.id(written) == RegisterModel.UNOBSERVED) {
                    return Describe.v(written) + " (a value no read saw)";
                }
            }
        }
        return Describe.v(model.value(r.stateAfter()));
    }

    /** The smallest window we can name: the end of the longest linearizable prefix and the ops blocking it. */
    private static String explain(History history, String key, List<Operation> ops, RegisterModel model,
                                  LinearSearch.Result r) {
        Describe d = new Describe(history);
        Operation blocker = ops.get(r.blocking());
        Set<Integer> placed = new HashSet<>(r.prefix());
        List<Operation> window = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            Operation op = ops.get(i);
            if (!placed.contains(i) && RegisterModel.relevant(op) && op.callNanos() <= blocker.returnNanos()) {
                window.add(op);
            }
        }
        window.sort(Comparator.comparingLong(Operation::callNanos));
        List<Operation> tail = new ArrayList<>();
        for (int i = Math.max(0, r.prefix().size() - PREFIX_SHOWN); i < r.prefix().size(); i++) {
            tail.add(ops.get(r.prefix().get(i)));
        }
        StringBuilder sb = new StringBuilder();
        sb.append("longest linearizable prefix: ").append(r.prefix().size()).append(" operations, after which \"")
                .append(key).append("\" is ").append(stateText(ops, model, r)).append('\n');
        if (!tail.isEmpty()) {
            sb.append("  its last operations, in linearization order:\n").append(d.ops(tail, "    "));
        }
        sb.append("then op #").append(blocker.id()).append(" returns at ").append(d.time(blocker.returnNanos()))
                .append(" and no order of these operations (all called by then, none placed) explains it:\n");
        sb.append(d.ops(window.subList(0, Math.min(MAX_PRINTED, window.size())), "    "));
        if (window.size() > MAX_PRINTED) {
            sb.append("    ... and ").append(window.size() - MAX_PRINTED).append(" more\n");
        }
        long from = window.get(0).callNanos();
        if (!tail.isEmpty()) {
            from = Math.min(from, tail.get(0).callNanos());
        }
        List<String> faults = d.faultsAround(history.faults(), from, blocker.returnNanos());
        if (!faults.isEmpty()) {
            sb.append("faults before and during that window:\n");
            faults.forEach(f -> sb.append("    ").append(f).append('\n'));
        }
        return sb.toString().stripTrailing();
    }
}
