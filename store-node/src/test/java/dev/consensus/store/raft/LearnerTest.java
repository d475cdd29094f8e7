package dev.consensus.store.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Learners, the non-voting members of thesis 4.2.1 ("Catching up new servers"): the leader
 * replicates to them, but they never campaign and neither their log nor their votes count
 * toward any majority, so a slow learner cannot stall commitment or elections.
 */
class LearnerTest {

    private static TestCluster threeVotersAndLearner4() {
        return TestCluster.builder().voters(1, 2, 3).learners(4).build();
    }

    @Test
    void learners_are_replicated_to_and_apply_the_same_entries_as_voters() {
        TestCluster c = threeVotersAndLearner4().elect(1);

        c.propose(1, "a");
        c.propose(1, "b");
        c.stabilize();
        c.tickAll(1);

        assertThat(c.appliedData(4)).containsExactly("a", "b");
        assertThat(c.applied(4)).isEqualTo(c.applied(1));
        assertThat(c.node(4).config().learners()).containsExactly(4L);
    }

    @Test
    void a_learner_never_campaigns_even_after_many_election_timeouts_without_a_leader() {
        TestCluster c = threeVotersAndLearner4();
        c.crash(1);
        c.crash(2);
        c.crash(3);
        long termBefore = c.node(4).term();

        c.tickAll(200);
        c.node(4).campaign();
        c.stabilize();

        assertThat(c.node(4).role()).isEqualTo(Role.FOLLOWER);
        assertThat(c.node(4).term()).isEqualTo(termBefore);
        assertThat(c.dropped()).as("no vote request ever left the learner")
                .noneMatch(m -> m.from() == 4 && (m instanceof Message.PreVote || m instanceof Message.Vote));
    }

    @Test
    void a_learners_acknowledgement_never_counts_toward_commit() {
        TestCluster c = threeVotersAndLearner4().elect(1);
        c.isolate(2);
        c.isolate(3);

        assertThat(c.propose(1, "x")).isEqualTo(ProposeResult.APPENDED);
        c.stabilize();

        long index = c.node(1).lastIndex();
        assertThat(c.node(4).lastIndex()).as("the learner has the entry").isEqualTo(index);
        assertThat(c.node(1).status().progress().get(4L).match()).isEqualTo(index);
        // Leader plus learner would be two of four members, but only one of three voters.
        assertThat(c.node(1).commitIndex()).isLessThan(index);
        assertThat(c.appliedData(4)).isEmpty();

        c.heal();
        c.tickAll(1);
        assertThat(c.node(1).commitIndex()).as("one voter more is enough").isEqualTo(index);
        assertThat(c.appliedData(4)).containsExactly("x");
    }

    @Test
    void learners_outnumbering_the_missing_voter_still_do_not_make_a_majority() {
        TestCluster c = TestCluster.builder().voters(1, 2).learners(3, 4).build().elect(1);
        c.isolate(2);

        c.propose(1, "x");
        c.stabilize();

        // Counted as members, 1, 3 and 4 would be three of four; as voters, 1 is one of two.
        assertThat(c.node(3).lastIndex()).isEqualTo(c.node(1).lastIndex());
        assertThat(c.node(4).lastIndex()).isEqualTo(c.node(1).lastIndex());
        assertThat(c.node(1).commitIndex()).isLessThan(c.node(1).lastIndex());
    }

    @Test
    void a_learners_granted_vote_is_not_counted() {
        TestCluster c = TestCluster.builder().voters(1, 2, 3).learners(4)
                .config(cfg -> cfg.withPreVote(false)).build();
        c.node(1).campaign();
        List<Message> requests = c.processAll();
        c.takeInFlight();
        assertThat(requests).as("vote requests go to voters only").extracting(Message::to)
                .containsExactlyInAnyOrder(2L, 3L);
        Message.Vote toTwo = (Message.Vote) requests.stream().filter(m -> m.to() == 2).findFirst().orElseThrow();

        // Learners may still answer a vote request; ask one as if it were a voter.
        c.deliver(new Message.Vote(1, 4, toTwo.term(), toTwo.lastLogIndex(), toTwo.lastLogTerm(), false));
        List<Message> answer = c.processAll();
        c.takeInFlight();
        assertThat(answer).singleElement().isEqualTo(new Message.VoteResponse(4, 1, toTwo.term(), true));
        c.deliver(answer.getFirst());
        c.processAll();

        assertThat(c.node(1).role()).as("self plus learner is no majority of {1,2,3}").isEqualTo(Role.CANDIDATE);
        c.deliver(toTwo);
        c.stabilize();
        assertThat(c.node(1).role()).isEqualTo(Role.LEADER);
    }

    @Test
    void the_leaders_status_shows_a_learners_match_so_catch_up_can_be_judged() {
        TestCluster c = threeVotersAndLearner4().elect(1);
        c.isolate(4);
        for (int i = 0; i < 5; i++) {
            c.propose(1, "w" + i);
        }
        c.stabilize();

        NodeStatus.MemberProgress lagging = c.node(1).status().progress().get(4L);
        assertThat(lagging.learner()).isTrue();
        assertThat(lagging.match()).isLessThan(c.node(1).lastIndex());
        assertThat(c.node(1).commitIndex()).as("the lagging learner does not hold up commit")
                .isEqualTo(c.node(1).lastIndex());

        c.heal();
        c.tickAll(2);
        NodeStatus.MemberProgress caughtUp = c.node(1).status().progress().get(4L);
        assertThat(caughtUp.match()).isEqualTo(c.node(1).lastIndex());
        assertThat(c.node(1).status().progress().get(2L).learner()).isFalse();
        assertThat(c.node(2).status().progress()).as("only a leader reports progress").isEmpty();
    }
}
