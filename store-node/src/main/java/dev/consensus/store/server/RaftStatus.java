package dev.consensus.store.server;

import dev.consensus.store.raft.RaftNode;
import dev.consensus.store.raft.Role;

/** What other threads may know of the core: updated by the Raft loop after each Ready. */
final class RaftStatus {

    private volatile long term;
    private volatile long leaderId = RaftNode.NONE;
    private volatile long commitIndex;
    private volatile Role role = Role.FOLLOWER;
    private volatile long leaderChanges;

    void update(long newTerm, long newCommit) {
        term = newTerm;
        commitIndex = Math.max(commitIndex, newCommit);
    }

    void softState(long leader, Role newRole) {
        if (leader != leaderId) {
            leaderChanges++;
        }
        leaderId = leader;
        role = newRole;
    }

    long term() {
        return term;
    }

    long leaderId() {
        return leaderId;
    }

    long commitIndex() {
        return commitIndex;
    }

    Role role() {
        return role;
    }

    boolean hasLeader() {
        return leaderId != RaftNode.NONE;
    }

    long leaderChanges() {
        return leaderChanges;
    }
}
