package dev.consensus.faults.history;

import java.util.Objects;

/**
 * A fault the harness applied or lifted, kept in the history so a report can show what was
 * going on around a violation.
 *
 * @param kind   free text naming the fault: {@code kill}, {@code restart}, {@code pause},
 *               {@code resume}, {@code partition}, {@code heal}, {@code add-learner} ...
 * @param target what it hit: a member name, or a description of the partition
 * @param detail anything else worth printing; empty when there is nothing
 */
public record Fault(String kind, String target, long atNanos, String detail) implements Entry {

    public Fault {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(target, "target");
        detail = detail == null ? "" : detail;
    }
}
