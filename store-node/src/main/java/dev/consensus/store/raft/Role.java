package dev.consensus.store.raft;

/** The roles of the Raft paper, plus the pre-candidate of the thesis' pre-vote (9.6). */
public enum Role {
    FOLLOWER,
    PRE_CANDIDATE,
    CANDIDATE,
    LEADER;

    /** The name etcd prints in its logs, so our logs read like the etcd walkthrough. */
    public String logName() {
        return switch (this) {
            case FOLLOWER -> "follower";
            case PRE_CANDIDATE -> "pre-candidate";
            case CANDIDATE -> "candidate";
            case LEADER -> "leader";
        };
    }
}
