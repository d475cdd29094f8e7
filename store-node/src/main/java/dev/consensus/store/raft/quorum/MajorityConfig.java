package dev.consensus.store.raft.quorum;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.function.LongPredicate;
import java.util.function.LongUnaryOperator;

/**
 * Majority arithmetic over one set of voters: which index a majority has acknowledged, and how
 * an election stands. Learners never appear here; that is the whole point of keeping it apart.
 */
public record MajorityConfig(Set<Long> voters) {

    public MajorityConfig {
        voters = Set.copyOf(voters);
    }

    /** How many voters make a majority. */
    public int quorum() {
        return voters.size() / 2 + 1;
    }

    /**
     * The largest index that a majority of voters has acknowledged, given each voter's
     * acknowledged index ({@code 0} for one not heard from). Zero for an empty configuration.
     */
    public long committedIndex(LongUnaryOperator ackedIndexOf) {
        if (voters.isEmpty()) {
            return 0;
        }
        long[] acked = new long[voters.size()];
        int i = 0;
        for (long id : voters) {
            acked[i++] = ackedIndexOf.applyAsLong(id);
        }
        Arrays.sort(acked);
        // Sorted ascending, the element at n - quorum is acknowledged by exactly the quorum
        // voters at and above it, and by no larger set.
        return acked[acked.length - quorum()];
    }

    /** The election's state given the votes received so far (absent voters have not answered). */
    public VoteResult voteResult(Map<Long, Boolean> votes) {
        if (voters.isEmpty()) {
            return VoteResult.WON;
        }
        int granted = 0;
        int missing = 0;
        for (long id : voters) {
            Boolean v = votes.get(id);
            if (v == null) {
                missing++;
            } else if (v) {
                granted++;
            }
        }
        if (granted >= quorum()) {
            return VoteResult.WON;
        }
        return granted + missing >= quorum() ? VoteResult.PENDING : VoteResult.LOST;
    }

    /** Whether the voters for which {@code active} holds form a majority. */
    public boolean isActiveQuorum(LongPredicate active) {
        int count = 0;
        for (long id : voters) {
            if (active.test(id)) {
                count++;
            }
        }
        return count >= quorum();
    }
}
