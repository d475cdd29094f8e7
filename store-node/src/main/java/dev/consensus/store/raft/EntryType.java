package dev.consensus.store.raft;

/** What a log entry carries: an opaque command for the state machine, or a membership change. */
public enum EntryType {
    /** Application data; an empty payload is the no-op a new leader appends to commit its term. */
    NORMAL,
    /** An encoded {@link ConfChange}; the core applies it itself when the entry is released. */
    CONF_CHANGE
}
