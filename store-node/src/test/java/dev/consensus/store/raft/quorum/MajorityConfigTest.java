package dev.consensus.store.raft.quorum;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Majority arithmetic: the commit rule of the Raft paper section 5.3/5.4 (an index is committed
 * once stored on a majority of voters) and the election rule of section 5.2 (a candidate wins
 * with votes from a majority). The fast sorted-array implementation is checked against a
 * brute-force reference over many seeded random cases.
 */
class MajorityConfigTest {

    private static final int CASES = 10_000;

    /** The definition itself: the largest index that more than half of the voters acknowledged. */
    private static long referenceCommittedIndex(Set<Long> voters, Map<Long, Long> acked) {
        if (voters.isEmpty()) {
            return 0;
        }
        long best = 0;
        for (long candidate : acked.values()) {
            int count = 0;
            for (long v : voters) {
                if (acked.getOrDefault(v, 0L) >= candidate) {
                    count++;
                }
            }
            if (2 * count > voters.size()) {
                best = Math.max(best, candidate);
            }
        }
        return best;
    }

    @Test
    void committed_index_agrees_with_a_brute_force_majority_over_many_random_cases() {
        SplittableRandom random = new SplittableRandom(20240611L);
        for (int i = 0; i < CASES; i++) {
            int voterCount = random.nextInt(1, 8);
            Set<Long> voters = new TreeSet<>();
            for (long id = 1; id <= voterCount; id++) {
                voters.add(id);
            }
            Map<Long, Long> acked = new HashMap<>();
            for (long id : voters) {
                // Some voters have not been heard from at all: they must count as index 0.
                if (random.nextInt(4) != 0) {
                    acked.put(id, (long) random.nextInt(0, 21));
                }
            }
            long fast = new MajorityConfig(voters).committedIndex(id -> acked.getOrDefault(id, 0L));
            assertThat(fast).as("case %d voters=%s acked=%s", i, voters, acked)
                    .isEqualTo(referenceCommittedIndex(voters, acked));
        }
    }

    @Test
    void committed_index_of_an_empty_configuration_is_zero() {
        assertThat(new MajorityConfig(Set.of()).committedIndex(id -> 99)).isZero();
    }

    @Test
    void committed_index_ignores_acknowledgements_from_non_voters() {
        MajorityConfig config = new MajorityConfig(Set.of(1L, 2L, 3L));
        Map<Long, Long> acked = Map.of(1L, 10L, 4L, 10L, 5L, 10L);

        // Only voter 1 has index 10: learners 4 and 5 holding it changes nothing.
        assertThat(config.committedIndex(id -> acked.getOrDefault(id, 0L))).isZero();
    }

    @Test
    void quorum_is_a_strict_majority_of_the_voters() {
        assertThat(new MajorityConfig(Set.of(1L)).quorum()).isEqualTo(1);
        assertThat(new MajorityConfig(Set.of(1L, 2L)).quorum()).isEqualTo(2);
        assertThat(new MajorityConfig(Set.of(1L, 2L, 3L)).quorum()).isEqualTo(2);
        assertThat(new MajorityConfig(Set.of(1L, 2L, 3L, 4L)).quorum()).isEqualTo(3);
        assertThat(new MajorityConfig(Set.of(1L, 2L, 3L, 4L, 5L)).quorum()).isEqualTo(3);
    }

    @Test
    void vote_is_won_once_a_majority_of_voters_granted() {
        MajorityConfig config = new MajorityConfig(Set.of(1L, 2L, 3L));

        assertThat(config.voteResult(Map.of(1L, true, 2L, true))).isEqualTo(VoteResult.WON);
        assertThat(config.voteResult(Map.of(1L, true, 2L, false, 3L, true))).isEqualTo(VoteResult.WON);
    }

    @Test
    void vote_is_pending_while_a_majority_can_still_be_reached() {
        MajorityConfig config = new MajorityConfig(Set.of(1L, 2L, 3L));

        assertThat(config.voteResult(Map.of())).isEqualTo(VoteResult.PENDING);
        assertThat(config.voteResult(Map.of(1L, true))).isEqualTo(VoteResult.PENDING);
        assertThat(config.voteResult(Map.of(1L, true, 2L, false))).isEqualTo(VoteResult.PENDING);
    }

    @Test
    void vote_is_lost_once_a_majority_can_no_longer_be_reached() {
        assertThat(new MajorityConfig(Set.of(1L, 2L, 3L)).voteResult(Map.of(2L, false, 3L, false)))
                .isEqualTo(VoteResult.LOST);
        // An even split of four voters cannot reach three grants.
        assertThat(new MajorityConfig(Set.of(1L, 2L, 3L, 4L))
                .voteResult(Map.of(1L, true, 2L, true, 3L, false, 4L, false)))
                .isEqualTo(VoteResult.LOST);
    }

    @Test
    void votes_from_learners_are_not_counted_because_learners_are_not_voters() {
        MajorityConfig voters = new MajorityConfig(Set.of(1L, 2L, 3L));

        // Learners 4 and 5 granting would make three grants if they were counted.
        assertThat(voters.voteResult(Map.of(1L, true, 4L, true, 5L, true))).isEqualTo(VoteResult.PENDING);
        assertThat(voters.voteResult(Map.of(1L, true, 2L, false, 3L, false, 4L, true, 5L, true)))
                .isEqualTo(VoteResult.LOST);
    }

    @Test
    void an_empty_configuration_wins_every_vote() {
        assertThat(new MajorityConfig(Set.of()).voteResult(Map.of())).isEqualTo(VoteResult.WON);
    }

    @Test
    void active_quorum_needs_a_majority_of_voters_to_be_active() {
        MajorityConfig config = new MajorityConfig(Set.of(1L, 2L, 3L, 4L, 5L));

        assertThat(config.isActiveQuorum(id -> id <= 3)).isTrue();
        assertThat(config.isActiveQuorum(id -> id <= 2)).isFalse();
        assertThat(config.isActiveQuorum(id -> id <= 2 || id >= 6)).as("non-voters do not help").isFalse();
    }
}
