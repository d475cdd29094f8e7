package dev.consensus.faults.history;

/**
 * One line of a history: a client operation, a fault the harness applied, or something a
 * watcher saw. Times are nanoseconds from the recorder's monotonic origin, so entries of one
 * run compare directly and a history file needs no wall clock.
 */
public sealed interface Entry permits Operation, Fault, WatchStart, WatchEvent, WatchProgress {

    /** When the entry happened; for an operation, when it was called. */
    long atNanos();
}
