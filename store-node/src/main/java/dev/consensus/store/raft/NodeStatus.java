package dev.consensus.store.raft;

import dev.consensus.store.raft.tracker.Progress;
import dev.consensus.store.raft.tracker.ProgressState;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A picture of one node at one moment: what {@code etcdctl endpoint status} reports, and what a
 * leader knows of each member's progress (empty on other nodes), so the server can judge whether
 * a learner has caught up.
 */
public record NodeStatus(
        long id,
        Role role,
        long term,
        long vote,
        long leaderId,
        long commit,
        long applied,
        long firstIndex,
        long lastIndex,
        long lastTerm,
        ConfState config,
        Map<Long, MemberProgress> progress,
        long leadTransferee) {

    /** The leader's view of one member. */
    public record MemberProgress(long match, long next, ProgressState state, boolean learner,
            boolean recentActive) {}

    static NodeStatus of(RaftNode n) {
        Map<Long, MemberProgress> progress = new LinkedHashMap<>();
        if (n.role == Role.LEADER) {
            for (Map.Entry<Long, Progress> e : n.tracker.all().entrySet()) {
                Progress p = e.getValue();
                progress.put(e.getKey(),
                        new MemberProgress(p.match(), p.next(), p.state(), p.isLearner(), p.recentActive()));
            }
        }
        return new NodeStatus(n.id, n.role, n.term, n.vote, n.leaderId, n.log.committed(), n.log.applied(),
                n.log.firstIndex(), n.log.lastIndex(), n.log.lastTerm(), n.tracker.config(),
                Collections.unmodifiableMap(progress), n.leader.leadTransferee());
    }
}
