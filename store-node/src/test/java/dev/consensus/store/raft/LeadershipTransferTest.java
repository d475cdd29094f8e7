package dev.consensus.store.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Leadership transfer (thesis 3.10): the leader stops taking requests, brings the target's log
 * up to date, and sends it TimeoutNow so it campaigns at once; its vote requests are honoured
 * even by servers that still hear the old leader; a transfer that does not finish within an
 * election timeout is aborted and the leader resumes taking requests.
 */
class LeadershipTransferTest {

    private static boolean isTimeoutNowTo(Message m, long to) {
        return m instanceof Message.TimeoutNow && m.to() == to;
    }

    @Test
    void transfer_to_an_up_to_date_follower_happens_at_once_and_it_leads_at_the_next_term() {
        TestCluster c = TestCluster.of(1, 2, 3).elect(1);
        c.propose(1, "a");
        c.stabilize();
        long term = c.node(1).term();

        assertThat(c.node(1).transferLeadership(2)).isTrue();
        List<Message> first = c.processAll();
        assertThat(first).as("no catch-up needed").anyMatch(m -> isTimeoutNowTo(m, 2));
        c.stabilize();

        assertThat(c.leader()).isEqualTo(2);
        assertThat(c.node(2).term()).isEqualTo(term + 1);
        assertThat(c.node(1).role()).isEqualTo(Role.FOLLOWER);
        assertThat(c.node(1).leaderId()).isEqualTo(2);
        assertThat(c.node(2).propose("b".getBytes())).isEqualTo(ProposeResult.APPENDED);
    }

    @Test
    void a_lagging_target_is_caught_up_before_it_is_told_to_campaign() {
        TestCluster c = TestCluster.of(1, 2, 3).elect(1);
        c.cut(1, 3);
        c.propose(1, "a");
        c.propose(1, "b");
        c.stabilize();
        c.heal();
        assertThat(c.node(3).lastIndex()).isLessThan(c.node(1).lastIndex());

        assertThat(c.node(1).transferLeadership(3)).isTrue();
        List<Message> first = c.processAll();
        assertThat(first).noneMatch(m -> m instanceof Message.TimeoutNow);
        assertThat(first).anyMatch(m -> m instanceof Message.Append && m.to() == 3);
        c.stabilize();
        c.tickAll(1);

        assertThat(c.leader()).isEqualTo(3);
        assertThat(c.appliedData(3)).containsExactly("a", "b");
    }

    @Test
    void proposals_are_refused_while_a_transfer_is_in_progress() {
        TestCluster c = TestCluster.of(1, 2, 3).elect(1);
        c.isolate(3);
        c.propose(1, "a");
        c.stabilize();

        assertThat(c.node(1).transferLeadership(3)).isTrue();

        assertThat(c.node(1).status().leadTransferee()).isEqualTo(3);
        assertThat(c.propose(1, "x")).isEqualTo(ProposeResult.LEADERSHIP_TRANSFER_IN_PROGRESS);
        assertThat(c.proposeConfChange(1, ConfChangeType.ADD_LEARNER, 4))
                .isEqualTo(ProposeResult.LEADERSHIP_TRANSFER_IN_PROGRESS);
        assertThat(c.node(1).transferLeadership(3)).as("asking again is fine").isTrue();
    }

    @Test
    void transfer_to_a_learner_to_itself_or_to_a_non_member_is_refused() {
        TestCluster c = TestCluster.builder().voters(1, 2, 3).learners(4).build().elect(1);

        assertThat(c.node(1).transferLeadership(4)).isFalse();
        assertThat(c.node(1).transferLeadership(1)).isFalse();
        assertThat(c.node(1).transferLeadership(9)).isFalse();
        assertThat(c.node(2).transferLeadership(3)).as("only a leader transfers").isFalse();

        assertThat(c.node(1).status().leadTransferee()).isEqualTo(RaftNode.NONE);
        assertThat(c.processAll()).noneMatch(m -> m instanceof Message.TimeoutNow);
        assertThat(c.propose(1, "still-taking-proposals")).isEqualTo(ProposeResult.APPENDED);
    }

    @Test
    void a_transfer_that_does_not_complete_is_aborted_after_an_election_timeout() {
        TestCluster c = TestCluster.of(1, 2, 3).elect(1);
        int electionTimeout = RaftConfig.defaults(1).electionTimeoutTicks();
        long term = c.node(1).term();
        c.isolate(3);

        assertThat(c.node(1).transferLeadership(3)).isTrue();
        c.stabilize();
        c.tickAll(electionTimeout - 1);
        assertThat(c.propose(1, "too-early")).isEqualTo(ProposeResult.LEADERSHIP_TRANSFER_IN_PROGRESS);

        c.tickAll(1);

        assertThat(c.node(1).status().leadTransferee()).isEqualTo(RaftNode.NONE);
        assertThat(c.node(1).role()).isEqualTo(Role.LEADER);
        assertThat(c.node(1).term()).isEqualTo(term);
        assertThat(c.propose(1, "after-abort")).isEqualTo(ProposeResult.APPENDED);
        c.stabilize();
        c.tickAll(1);
        assertThat(c.appliedData(2)).containsExactly("after-abort");
    }

    @Test
    void the_transferees_vote_request_is_honoured_by_followers_still_in_lease() {
        TestCluster c = TestCluster.of(1, 2, 3).elect(1);
        long term = c.node(1).term();
        long lastIndex = c.node(2).lastIndex();
        long lastTerm = c.node(2).termAt(lastIndex);

        // An ordinary vote request from 2 is ignored by 3, which still hears leader 1.
        c.deliver(new Message.Vote(2, 3, term + 1, lastIndex, lastTerm, false));
        assertThat(c.processAll()).isEmpty();
        assertThat(c.node(3).term()).isEqualTo(term);

        // 2's request never reaches 1, so 2 can win only with 3's vote.
        c.cut(2, 1);
        assertThat(c.node(1).transferLeadership(2)).isTrue();
        c.stabilize();

        assertThat(c.node(2).role()).isEqualTo(Role.LEADER);
        assertThat(c.node(2).term()).isEqualTo(term + 1);
        assertThat(c.node(3).status().vote()).isEqualTo(2);
    }
}
