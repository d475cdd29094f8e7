package dev.consensus.faults.check;

import java.util.Objects;

/**
 * One thing a checker found: a violation, or a part it could not decide.
 *
 * @param summary one line
 * @param details the readable evidence (operations with times relative to the start of the
 *                history, faults nearby); may span lines, may be empty
 */
public record Finding(String checker, Status status, String summary, String details) {

    public Finding {
        Objects.requireNonNull(checker, "checker");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(summary, "summary");
        details = details == null ? "" : details;
    }

    @Override
    public String toString() {
        return "[" + checker + "] " + status + ": " + summary + (details.isEmpty() ? "" : "\n" + details);
    }
}
