package dev.consensus.store.raft;

/**
 * What became of a proposal. Only {@link #APPENDED} and {@link #FORWARDED} mean it may commit;
 * even those may be lost if leadership changes, so the server times out and retries.
 */
public enum ProposeResult {
    /** Appended to this leader's log. */
    APPENDED,
    /** Sent to the leader this node knows of. */
    FORWARDED,
    /** No leader is known: the server answers "etcdserver: no leader". */
    NO_LEADER,
    /** The leader is handing leadership over and takes no proposals until that ends. */
    LEADERSHIP_TRANSFER_IN_PROGRESS,
    /**
     * This leader has proposed its own removal and takes nothing more, so its log cannot grow
     * past the survivors' before it hands leadership over.
     */
    LEADER_BEING_REMOVED,
    /** A membership change is not yet applied, and changes go one at a time. */
    CONF_CHANGE_PENDING,
    /** The change is not valid for the current membership (the reason is logged). */
    INVALID_CONF_CHANGE
}
