package dev.consensus.store.raft;

/** The single-member changes the core supports; each entry changes one member. */
public enum ConfChangeType {
    /** A new member that receives the log but neither votes nor counts toward quorum. */
    ADD_LEARNER,
    /** A learner becomes a voter; refused for anything that is not a learner. */
    PROMOTE_LEARNER,
    /** A member that votes at once (a learner is promoted; a voter is left as it is). */
    ADD_VOTER,
    /** A voter or learner leaves; removing the last voter is refused. */
    REMOVE_MEMBER
}
