package dev.consensus.store.raft;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * A follower told that its connection to the leader broke (the leader's process died, say)
 * campaigns after the randomized part of its election timeout only, instead of first waiting a
 * whole timeout for heartbeats; pre-vote keeps that from deposing a leader the others hear.
 */
class LeaderConnectionLostTest {

    private static final int ELECTION_TIMEOUT = RaftConfig.defaults(1).electionTimeoutTicks();

    @Test
    void a_follower_that_loses_its_leaders_connection_campaigns_within_one_election_timeout() {
        TestCluster c = TestCluster.of(1, 2, 3, 4, 5).elect(1);
        c.crash(1);
        for (long id = 2; id <= 5; id++) {
            c.node(id).reportConnectionLost(1);

            assertThat(c.ticksUntilCampaign(id)).as("node %d", id).isBetween(1, ELECTION_TIMEOUT);
        }
    }

    @Test
    void losing_the_connection_to_another_follower_changes_nothing() {
        TestCluster c = TestCluster.of(1, 2, 3).elect(1);
        c.node(2).reportConnectionLost(3);

        assertThat(c.ticksUntilCampaign(2)).isBetween(ELECTION_TIMEOUT, 2 * ELECTION_TIMEOUT - 1);
    }

    @Test
    void the_followers_of_a_dead_leader_elect_a_new_one_sooner_than_an_election_timeout_after_the_loss() {
        TestCluster c = TestCluster.of(1, 2, 3).elect(1);
        long term = c.node(1).term();
        c.crash(1);
        c.node(2).reportConnectionLost(1);
        c.node(3).reportConnectionLost(1);

        int ticks = 0;
        while (c.leader() == 1 || c.leader() == RaftNode.NONE) {
            c.tickAll(1);
            ticks++;
            assertThat(ticks).as("ticks without a new leader").isLessThanOrEqualTo(3 * ELECTION_TIMEOUT);
        }
        assertThat(c.node(c.leader()).term()).isGreaterThan(term);
    }

    @Test
    void a_follower_that_lost_only_its_own_link_to_a_leader_the_others_hear_does_not_depose_it() {
        TestCluster c = TestCluster.of(1, 2, 3).elect(1);
        long term = c.node(1).term();
        c.cut(1, 2);
        c.cut(2, 1);
        c.node(2).reportConnectionLost(1);

        for (int tick = 0; tick < 3 * ELECTION_TIMEOUT; tick++) {
            c.tickAll(1);
            assertThat(c.leader()).as("leader at tick %d", tick).isEqualTo(1);
            assertThat(c.node(1).term()).as("leader's term at tick %d", tick).isEqualTo(term);
        }
        assertThat(c.node(2).role()).as("it did try").isEqualTo(Role.PRE_CANDIDATE);
    }

    @Test
    void without_pre_vote_the_loss_is_not_acted_on() {
        TestCluster c = TestCluster.builder().voters(1, 2, 3).config(cfg -> cfg.withPreVote(false)).build().elect(1);
        c.node(2).reportConnectionLost(1);

        assertThat(c.ticksUntilCampaign(2)).isBetween(ELECTION_TIMEOUT, 2 * ELECTION_TIMEOUT - 1);
    }
}
