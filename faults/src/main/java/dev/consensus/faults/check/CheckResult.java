package dev.consensus.faults.check;

import java.util.List;

/**
 * What one checker said about a history.
 *
 * @param checked  how many units it judged (keys, watchers, leases, clients), for the report
 * @param findings violations and undecided parts; empty when the status is OK
 */
public record CheckResult(String checker, Status status, int checked, List<Finding> findings) {

    public CheckResult {
        findings = List.copyOf(findings);
    }

    public static CheckResult of(String checker, int checked, List<Finding> findings) {
        Status s = Status.OK;
        for (Finding f : findings) {
            s = Status.worst(s, f.status());
        }
        return new CheckResult(checker, s, checked, findings);
    }

    public boolean isOk() {
        return status == Status.OK;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(checker + ": " + status + " (" + checked + " checked)");
        for (Finding f : findings) {
            sb.append('\n').append(f.toString().indent(2).stripTrailing());
        }
        return sb.toString();
    }
}
