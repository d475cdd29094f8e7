package dev.consensus.store.server;

import dev.consensus.store.raft.RaftNode;
import dev.consensus.store.raft.Role;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

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

    private final Map<CompletableFuture<Void>, Long> leaderWaiters = new ConcurrentHashMap<>();

    void softState(long leader, Role newRole) {
        if (leader != leaderId) {
            leaderChanges++;
        }
        leaderId = leader;
        role = newRole;
        leaderWaiters.forEach((f, target) -> {
            if (target == leader) {
                f.complete(null);
            }
        });
    }

    /** Completes once {@code target} is the leader this member knows (at once if it is now). */
    CompletableFuture<Void> awaitLeader(long target) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        leaderWaiters.put(f, target);
        f.whenComplete((v, e) -> leaderWaiters.remove(f));
        if (leaderId == target) {
            f.complete(null);
        }
        return f;
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
