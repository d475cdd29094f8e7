package dev.consensus.faults.check;

import dev.consensus.faults.history.History;
import java.util.ArrayList;
import java.util.List;

/** Every checker, run over one history. */
public final class Checkers {

    private final List<Checker> checkers;

    public Checkers(LinearizabilityChecker.Options search, LeaseChecker.Options lease) {
        this.checkers = List.of(new LinearizabilityChecker(search), new LostWriteChecker(search),
                new WatchChecker(), new LeaseChecker(lease), new RevisionChecker());
    }

    public static Checkers defaults() {
        return new Checkers(LinearizabilityChecker.Options.DEFAULT, LeaseChecker.Options.DEFAULT);
    }

    public Report check(History history) {
        List<CheckResult> results = new ArrayList<>();
        for (Checker c : checkers) {
            results.add(c.check(history));
        }
        return new Report(history.operations().size(), history.faults().size(), results);
    }

    /** All checkers' results; the status is the worst of them. */
    public record Report(int operations, int faults, List<CheckResult> results) {

        public Report {
            results = List.copyOf(results);
        }

        public Status status() {
            Status s = Status.OK;
            for (CheckResult r : results) {
                s = Status.worst(s, r.status());
            }
            return s;
        }

        public String text() {
            StringBuilder sb = new StringBuilder();
            sb.append(operations).append(" operations, ").append(faults).append(" faults\n");
            for (CheckResult r : results) {
                sb.append(r).append('\n');
            }
            sb.append("verdict: ").append(status()).append('\n');
            return sb.toString();
        }
    }
}
