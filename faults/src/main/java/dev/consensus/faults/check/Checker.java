package dev.consensus.faults.check;

import dev.consensus.faults.history.History;

/** Judges one property of a history. Checkers never throw on odd input: they report it. */
public interface Checker {

    String name();

    CheckResult check(History history);
}
