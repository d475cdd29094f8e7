package dev.consensus.store.raft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.consensus.store.raft.Message.PreVote;
import dev.consensus.store.raft.Message.PreVoteResponse;
import dev.consensus.store.raft.Message.Vote;
import dev.consensus.store.raft.Message.VoteResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Pre-vote and check-quorum, Raft thesis section 9.6 ("Preventing disruptions when a server
 * rejoins the cluster"): a would-be candidate first asks whether it could win, without raising
 * its term, and servers that hear from a current leader disregard vote requests (the lease);
 * a leader that cannot reach a majority for an election timeout steps down (thesis 6.2, the
 * check-quorum that makes the lease safe).
 */
class PreVoteTest {

    private static final int ELECTION_TIMEOUT = RaftConfig.defaults(1).electionTimeoutTicks();

    @Test
    void a_pre_candidate_asks_for_the_next_term_without_increasing_its_own() {
        TestCluster c = TestCluster.of(1, 2, 3);

        c.node(1).campaign();

        assertThat(c.node(1).role()).isEqualTo(Role.PRE_CANDIDATE);
        assertThat(c.node(1).term()).isEqualTo(1);
        assertThat(c.processAll()).hasSize(2).allSatisfy(m -> assertThat(m)
                .isInstanceOfSatisfying(PreVote.class, pv -> assertThat(pv.term()).isEqualTo(2)));
        assertThat(c.storage(1).hardState()).isEqualTo(new HardState(1, RaftNode.NONE, 3));
    }

    @Test
    void a_partitioned_follower_that_rejoins_neither_raises_the_leaders_term_nor_deposes_it() {
        TestCluster c = TestCluster.of(1, 2, 3).elect(1);
        long term = c.node(1).term();
        c.isolate(3);
        for (int tick = 0; tick < 10 * ELECTION_TIMEOUT; tick++) {
            c.tickAll(1);
            assertThat(c.node(3).term()).as("isolated node's term at tick %d", tick).isEqualTo(term);
        }
        assertThat(c.node(3).role()).as("it did try").isEqualTo(Role.PRE_CANDIDATE);

        c.heal();
        for (int tick = 0; tick < 3 * ELECTION_TIMEOUT; tick++) {
            c.tickAll(1);
            assertThat(c.leader()).as("leader at tick %d after healing", tick).isEqualTo(1);
        }

        for (long id = 1; id <= 3; id++) {
            assertThat(c.node(id).term()).as("node %d", id).isEqualTo(term);
            assertThat(c.node(id).leaderId()).as("node %d", id).isEqualTo(1);
        }
    }

    @Test
    void without_pre_vote_and_check_quorum_a_rejoining_partitioned_follower_raises_the_term_and_deposes_the_leader() {
        TestCluster c = TestCluster.builder().voters(1, 2, 3)
                .config(cfg -> cfg.withPreVote(false).withCheckQuorum(false)).build().elect(1);
        long term = c.node(1).term();
        c.isolate(3);
        c.tickAll(10 * ELECTION_TIMEOUT);
        assertThat(c.node(3).term()).as("the isolated node campaigned in vain").isGreaterThan(term + 1);

        c.heal();
        boolean deposed = false;
        for (int tick = 0; tick < 3 * ELECTION_TIMEOUT; tick++) {
            c.tickAll(1);
            deposed |= c.node(1).role() != Role.LEADER || c.node(1).term() != term;
        }

        // This is the disruption pre-vote exists to prevent.
        assertThat(deposed).isTrue();
        assertThat(c.node(c.leader()).term()).isGreaterThan(term + 1);
    }

    @Test
    void a_pre_vote_is_granted_only_to_a_log_at_least_as_up_to_date_and_changes_neither_term_nor_vote() {
        TestCluster c = TestCluster.of(1, 2, 3);
        RaftNode voter = c.node(2);
        long last = voter.lastIndex();

        voter.step(new PreVote(1, 2, 2, last - 1, 1));
        assertThat(c.processAll()).containsExactly(new PreVoteResponse(2, 1, 1, false));
        voter.step(new PreVote(3, 2, 2, last, 1));
        assertThat(c.processAll()).containsExactly(new PreVoteResponse(2, 3, 2, true));
        // A second candidate gets a grant too: a pre-vote binds the voter to nothing.
        voter.step(new PreVote(1, 2, 2, last + 5, 1));
        assertThat(c.processAll()).containsExactly(new PreVoteResponse(2, 1, 2, true));

        assertThat(voter.term()).isEqualTo(1);
        assertThat(voter.status().vote()).isEqualTo(RaftNode.NONE);
    }

    @Test
    void a_pre_vote_is_ignored_by_a_voter_that_heard_from_a_leader_within_the_election_timeout() {
        TestCluster c = TestCluster.of(1, 2, 3).elect(1);
        RaftNode voter = c.node(2);
        PreVote request = new PreVote(3, 2, voter.term() + 1, voter.lastIndex(), voter.status().lastTerm());

        // The lease runs one election timeout from the last word from the leader.
        c.tick(2, ELECTION_TIMEOUT - 1);
        voter.step(request);
        assertThat(c.processAll()).filteredOn(m -> m.to() == 3).isEmpty();

        c.tick(2, 1);
        voter.step(request);
        // The voter may have timed out itself on this tick and sent its own pre-votes: not answers.
        assertThat(c.processAll()).filteredOn(PreVoteResponse.class::isInstance)
                .containsExactly(new PreVoteResponse(2, 3, request.term(), true));
        assertThat(voter.term()).isEqualTo(request.term() - 1);
    }

    @Test
    void a_leader_that_loses_contact_with_its_majority_steps_down_within_two_election_timeouts() {
        TestCluster c = TestCluster.of(1, 2, 3).elect(1);
        long term = c.node(1).term();
        c.isolate(1);

        int ticks = 0;
        while (c.node(1).role() == Role.LEADER && ticks < 10 * ELECTION_TIMEOUT) {
            c.tickAll(1);
            ticks++;
        }

        assertThat(ticks).isLessThanOrEqualTo(2 * ELECTION_TIMEOUT);
        assertThat(c.node(1).role()).isEqualTo(Role.FOLLOWER);
        // Stepping down is not learning a new term: it stays where it was.
        assertThat(c.node(1).term()).isEqualTo(term);
    }

    @Test
    void a_leader_that_hears_from_a_majority_keeps_leading() {
        TestCluster c = TestCluster.of(1, 2, 3).elect(1);
        long term = c.node(1).term();
        c.isolate(3);

        for (int tick = 0; tick < 10 * ELECTION_TIMEOUT; tick++) {
            c.tickAll(1);
            assertThat(c.node(1).role()).as("tick %d", tick).isEqualTo(Role.LEADER);
        }
        assertThat(c.node(1).term()).isEqualTo(term);
    }

    @Test
    void a_follower_in_its_leader_lease_ignores_vote_requests_that_are_not_leadership_transfers() {
        TestCluster c = TestCluster.of(1, 2, 3).elect(1);
        RaftNode voter = c.node(2);
        long term = voter.term();
        long last = voter.lastIndex();
        long lastTerm = voter.status().lastTerm();

        voter.step(new Vote(3, 2, term + 1, last, lastTerm, false));
        assertThat(c.processAll()).isEmpty();
        assertThat(voter.term()).isEqualTo(term);
        assertThat(voter.leaderId()).isEqualTo(1);

        voter.step(new Vote(3, 2, term + 1, last, lastTerm, true));
        assertThat(c.processAll()).containsExactly(new VoteResponse(2, 3, term + 1, true));
        assertThat(voter.term()).isEqualTo(term + 1);
    }

    @Test
    void a_leadership_transfer_succeeds_although_every_follower_is_in_its_lease() {
        TestCluster c = TestCluster.of(1, 2, 3).elect(1);
        long term = c.node(1).term();

        assertThat(c.node(1).transferLeadership(2)).isTrue();
        c.stabilize();

        assertThat(c.leader()).isEqualTo(2);
        assertThat(c.node(2).term()).isEqualTo(term + 1);
        List<Long> followersOf2 = List.of(c.node(1).leaderId(), c.node(3).leaderId());
        assertThat(followersOf2).containsOnly(2L);
    }
}
