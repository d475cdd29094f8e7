package dev.consensus.faults.check;

import dev.consensus.faults.history.Call;
import dev.consensus.faults.history.History;
import dev.consensus.faults.history.Operation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * No acknowledged write lost: after the faults heal, the harness reads every key once more
 * ({@link Call.ReadMode#FINAL}). For each key, the key's writes, compare-and-sets and deletes
 * plus that final read must be linearizable; the other reads are left out, so a failure here
 * says exactly "the final state is not one the writes allow", for example an acknowledged
 * write that vanished, or a value nobody wrote.
 *
 * <p>When the history has final reads, a key with an acknowledged change but no final read
 * is reported UNKNOWN: the harness did not look, so nothing can be said about it.
 */
public final class LostWriteChecker implements Checker {

    public static final String NAME = "lost-writes";

    private final LinearizabilityChecker search;

    public LostWriteChecker() {
        this(LinearizabilityChecker.Options.DEFAULT);
    }

    public LostWriteChecker(LinearizabilityChecker.Options options) {
        this.search = new LinearizabilityChecker(options);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CheckResult check(History history) {
        Map<String, List<Operation>> byKey = LinearizabilityChecker.registerKeys(history);
        boolean anyFinal = byKey.values().stream().flatMap(List::stream).anyMatch(LostWriteChecker::isFinalRead);
        if (!anyFinal) {
            return CheckResult.of(NAME, 0, List.of());
        }
        List<Finding> findings = new ArrayList<>();
        int checked = 0;
        for (Map.Entry<String, List<Operation>> e : byKey.entrySet()) {
            List<Operation> kept = new ArrayList<>();
            boolean hasFinal = false;
            boolean acknowledgedChange = false;
            for (Operation op : e.getValue()) {
                if (isFinalRead(op)) {
                    hasFinal = true;
                    kept.add(op);
                } else if (!(op.call() instanceof Call.Read)) {
                    kept.add(op);
                    acknowledgedChange |= op.isOk() && op.mayMutateKey();
                }
            }
            if (!hasFinal) {
                if (acknowledgedChange) {
                    findings.add(new Finding(NAME, Status.UNKNOWN, "key \"" + e.getKey()
                            + "\" has acknowledged writes but no final read, so whether they survived is unchecked", ""));
                }
                continue;
            }
            checked++;
            Finding f = search.checkKey(NAME, history, e.getKey(), kept);
            if (f != null) {
                findings.add(f.status() == Status.VIOLATION
                        ? new Finding(NAME, Status.VIOLATION, "key \"" + e.getKey()
                                + "\": the final read is not a state the writes allow (a lost or invented write)",
                                f.details())
                        : f);
            }
        }
        return CheckResult.of(NAME, checked, findings);
    }

    private static boolean isFinalRead(Operation op) {
        return op.call() instanceof Call.Read r && r.mode() == Call.ReadMode.FINAL && op.isOk();
    }
}
