package dev.consensus.store.raft.tracker;

import dev.consensus.store.raft.ConfState;
import dev.consensus.store.raft.quorum.MajorityConfig;
import dev.consensus.store.raft.quorum.VoteResult;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * The membership in force together with each member's progress and the votes of the current
 * election. Learners have progress (so the leader replicates to them and the server can judge
 * catch-up) but are never part of the majority.
 *
 * <p>Invariant: {@code progress} has exactly the members of {@code config}, and a progress is
 * marked learner exactly when its member is a learner.
 */
public final class ProgressTracker {

    private ConfState config = ConfState.EMPTY;
    private MajorityConfig majority = new MajorityConfig(config.voters());
    private final NavigableMap<Long, Progress> progress = new TreeMap<>();
    private final Map<Long, Boolean> votes = new HashMap<>();
    private final int maxInflightMessages;
    private final long maxInflightBytes;

    public ProgressTracker(int maxInflightMessages, long maxInflightBytes) {
        this.maxInflightMessages = maxInflightMessages;
        this.maxInflightBytes = maxInflightBytes;
    }

    public ConfState config() {
        return config;
    }

    /**
     * Switches to a new membership. Members that stay keep their progress; new ones start
     * probing at {@code nextIndex} and count as recently active, so check-quorum does not
     * depose a leader for a member it has not had time to hear from.
     */
    public void applyConfig(ConfState next, long nextIndex) {
        config = next;
        majority = new MajorityConfig(next.voters());
        progress.keySet().retainAll(next.members());
        for (long id : next.members()) {
            Progress p = progress.get(id);
            if (p == null) {
                p = new Progress(nextIndex, next.isLearner(id), new Inflights(maxInflightMessages, maxInflightBytes));
                p.setRecentActive(true);
                progress.put(id, p);
            }
            p.setLearner(next.isLearner(id));
        }
        votes.keySet().retainAll(next.voters());
    }

    /**
     * Fresh progress for every member, as after an election: nothing known to match, next
     * append at {@code nextIndex}; {@code self} matches what it has persisted.
     */
    public void resetAll(long nextIndex, long self, long selfMatch) {
        for (Map.Entry<Long, Progress> e : progress.entrySet()) {
            Progress fresh = new Progress(nextIndex, e.getValue().isLearner(),
                    new Inflights(maxInflightMessages, maxInflightBytes));
            if (e.getKey() == self) {
                fresh.maybeUpdate(selfMatch);
            }
            e.setValue(fresh);
        }
    }

    /** The member's progress, or {@code null} for a node that is not a member. */
    public Progress progress(long id) {
        return progress.get(id);
    }

    /** Every member's progress, in id order. */
    public NavigableMap<Long, Progress> all() {
        return Collections.unmodifiableNavigableMap(progress);
    }

    public boolean isVoter(long id) {
        return config.isVoter(id);
    }

    public int quorum() {
        return majority.quorum();
    }

    /** The largest index a majority of voters has matched. */
    public long committedIndex() {
        return majority.committedIndex(id -> {
            Progress p = progress.get(id);
            return p == null ? 0 : p.match();
        });
    }

    /** Whether a majority of voters was heard from since the last reset; {@code self} always counts. */
    public boolean isQuorumActive(long self) {
        return majority.isActiveQuorum(id -> id == self || (progress.containsKey(id) && progress.get(id).recentActive()));
    }

    /** Whether the given nodes include a majority of voters. */
    public boolean isQuorum(Set<Long> ids) {
        return majority.isActiveQuorum(ids::contains);
    }

    public void resetRecentActive(long self) {
        progress.forEach((id, p) -> p.setRecentActive(id == self));
    }

    public void resetVotes() {
        votes.clear();
    }

    /** Records a voter's answer; only the first answer per election counts, and learners' not at all. */
    public void recordVote(long id, boolean granted) {
        if (config.isVoter(id)) {
            votes.putIfAbsent(id, granted);
        }
    }

    public VoteResult tallyVotes() {
        return majority.voteResult(votes);
    }

    public long grantedVotes() {
        return votes.values().stream().filter(v -> v).count();
    }

    public long rejectedVotes() {
        return votes.values().stream().filter(v -> !v).count();
    }
}
