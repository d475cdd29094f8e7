package dev.consensus.store.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Cluster membership changes, one member at a time (thesis chapter 4): a new member joins as a
 * learner and catches up before it votes (4.2.1), a leader may remove itself and hand over
 * (4.2.2), only one change is in flight at a time and none before the leader has committed in
 * its term (4.1, and the bug fix of 4.1's footnote), and a membership entry takes effect as soon
 * as it is in a node's log, reverting if that entry is overwritten (4.1).
 */
class MembershipChangeScenarioTest {


    @Test
    void a_joining_learner_catches_up_and_once_promoted_counts_toward_quorum() {
        TestCluster c = TestCluster.of(1, 2).elect(1);
        c.propose(1, "before");
        c.stabilize();
        c.addJoining(3);

        assertThat(c.proposeConfChange(1, ConfChangeType.ADD_LEARNER, 3)).isEqualTo(ProposeResult.APPENDED);
        c.stabilize();
        c.tickAll(1);

        assertThat(c.node(3).config().learners()).containsExactly(3L);
        assertThat(c.node(1).status().progress().get(3L).match()).as("caught up").isEqualTo(c.node(1).lastIndex());
        assertThat(c.appliedData(3)).containsExactly("before");

        // As a learner, 3 cannot stand in for the missing voter 2.
        c.isolate(2);
        c.propose(1, "as-learner");
        c.stabilize();
        assertThat(c.node(1).commitIndex()).isLessThan(c.node(1).lastIndex());
        c.heal();
        c.tickAll(1);

        assertThat(c.proposeConfChange(1, ConfChangeType.PROMOTE_LEARNER, 3)).isEqualTo(ProposeResult.APPENDED);
        c.stabilize();
        c.tickAll(1);
        assertThat(c.node(1).config().voters()).containsExactly(1L, 2L, 3L);

        // As a voter it can: 1 and 3 are two of three.
        c.isolate(2);
        c.propose(1, "as-voter");
        c.stabilize();
        assertThat(c.node(1).commitIndex()).isEqualTo(c.node(1).lastIndex());
        assertThat(c.appliedData(3)).containsExactly("before", "as-learner", "as-voter");
    }

    @Test
    void a_voter_can_be_added_directly_and_replicates_everything() {
        TestCluster c = TestCluster.of(1, 2, 3).elect(1);
        c.propose(1, "a");
        c.stabilize();
        c.addJoining(4);

        assertThat(c.proposeConfChange(1, ConfChangeType.ADD_VOTER, 4)).isEqualTo(ProposeResult.APPENDED);
        c.stabilize();
        c.propose(1, "b");
        c.stabilize();
        c.tickAll(1);

        for (long id = 1; id <= 4; id++) {
            assertThat(c.node(id).config().voters()).as("node %d", id).containsExactly(1L, 2L, 3L, 4L);
        }
        assertThat(c.appliedData(4)).containsExactly("a", "b");
        // Four voters need three: with 2 and 3 away, 1 and 4 cannot commit.
        c.isolate(2);
        c.isolate(3);
        c.propose(1, "c");
        c.stabilize();
        assertThat(c.node(1).commitIndex()).isLessThan(c.node(1).lastIndex());
    }

    @Test
    void a_removed_follower_no_longer_counts_and_no_longer_receives_entries() {
        TestCluster c = TestCluster.of(1, 2, 3).elect(1);

        assertThat(c.proposeConfChange(1, ConfChangeType.REMOVE_MEMBER, 3)).isEqualTo(ProposeResult.APPENDED);
        c.stabilize();
        c.tickAll(1);
        assertThat(c.node(1).config().voters()).containsExactly(1L, 2L);
        assertThat(c.node(1).status().progress()).doesNotContainKey(3L);
        long removedAt = c.node(3).lastIndex();

        c.crash(3);
        c.propose(1, "after");
        c.stabilize();
        c.tickAll(1);

        assertThat(c.node(1).commitIndex()).as("1 and 2 are the whole majority now").isEqualTo(c.node(1).lastIndex());
        assertThat(c.appliedData(2)).containsExactly("after");
        c.restart(3);
        c.tickAll(30);
        assertThat(c.node(3).lastIndex()).isEqualTo(removedAt);
        assertThat(c.leader()).as("the removed member did not disrupt the cluster").isEqualTo(1);
    }

    @Test
    void a_leader_that_removes_itself_takes_no_proposals_and_then_hands_leadership_over() {
        TestCluster c = TestCluster.of(1, 2, 3).elect(1);
        long term = c.node(1).term();

        assertThat(c.proposeConfChange(1, ConfChangeType.REMOVE_MEMBER, 1)).isEqualTo(ProposeResult.APPENDED);
        assertThat(c.propose(1, "late")).isEqualTo(ProposeResult.LEADER_BEING_REMOVED);
        assertThat(c.proposeConfChange(1, ConfChangeType.ADD_LEARNER, 9))
                .isEqualTo(ProposeResult.LEADER_BEING_REMOVED);
        List<Message> sent = c.stabilize();

        long next = c.leader();
        assertThat(sent).as("told to campaign at once").anyMatch(m -> m instanceof Message.TimeoutNow
                && m.from() == 1 && m.to() == next);
        assertThat(next).isIn(2L, 3L);
        assertThat(c.node(next).term()).as("handed over by TimeoutNow, not by a timeout").isEqualTo(term + 1);
        assertThat(c.node(1).role()).isEqualTo(Role.FOLLOWER);
        assertThat(c.node(next).config().voters()).containsExactly(2L, 3L);

        c.propose(next, "new-leader");
        c.stabilize();
        c.tickAll(30);
        assertThat(c.leader()).isEqualTo(next);
        assertThat(c.appliedData(2)).containsExactly("new-leader");
        assertThat(c.appliedData(3)).containsExactly("new-leader");
        assertThat(c.node(1).term()).as("the removed node never campaigned").isEqualTo(term);
    }

    @Test
    void a_second_change_is_refused_while_the_first_is_uncommitted() {
        TestCluster c = TestCluster.of(1, 2, 3).elect(1);
        c.isolate(2);
        c.isolate(3);

        assertThat(c.proposeConfChange(1, ConfChangeType.ADD_LEARNER, 4)).isEqualTo(ProposeResult.APPENDED);
        c.stabilize();
        assertThat(c.proposeConfChange(1, ConfChangeType.ADD_LEARNER, 5)).isEqualTo(ProposeResult.CONF_CHANGE_PENDING);

        c.heal();
        c.tickAll(1);
        assertThat(c.proposeConfChange(1, ConfChangeType.ADD_LEARNER, 5)).isEqualTo(ProposeResult.APPENDED);
    }

    @Test
    void two_changes_in_one_batch_are_refused_whole() {
        TestCluster c = TestCluster.of(1, 2, 3).elect(1);
        long last = c.node(1).lastIndex();

        ProposeResult result = c.node(1).propose(List.of(
                Proposal.of(new ConfChange(ConfChangeType.ADD_LEARNER, 4)),
                Proposal.of(new ConfChange(ConfChangeType.ADD_LEARNER, 5))));

        assertThat(result).isEqualTo(ProposeResult.CONF_CHANGE_PENDING);
        assertThat(c.node(1).lastIndex()).isEqualTo(last);
    }

    @Test
    void a_new_leader_accepts_no_change_before_it_has_committed_an_entry_of_its_term() {
        TestCluster c = TestCluster.of(1, 2, 3);
        c.drop(m -> m instanceof Message.AppendResponse);
        c.elect(1);
        assertThat(c.node(1).role()).isEqualTo(Role.LEADER);

        assertThat(c.proposeConfChange(1, ConfChangeType.ADD_LEARNER, 4)).isEqualTo(ProposeResult.CONF_CHANGE_PENDING);

        c.heal();
        c.tickAll(1);
        assertThat(c.proposeConfChange(1, ConfChangeType.ADD_LEARNER, 4)).isEqualTo(ProposeResult.APPENDED);
    }

    @Test
    void an_invalid_change_is_refused_and_leaves_the_log_alone() {
        TestCluster c = TestCluster.builder().voters(1, 2, 3).learners(4).build().elect(1);
        long last = c.node(1).lastIndex();

        assertThat(c.proposeConfChange(1, ConfChangeType.PROMOTE_LEARNER, 2)).isEqualTo(ProposeResult.INVALID_CONF_CHANGE);
        assertThat(c.proposeConfChange(1, ConfChangeType.REMOVE_MEMBER, 9)).isEqualTo(ProposeResult.INVALID_CONF_CHANGE);
        assertThat(c.proposeConfChange(1, ConfChangeType.ADD_LEARNER, 3)).isEqualTo(ProposeResult.INVALID_CONF_CHANGE);
        assertThat(c.node(1).propose(List.of(new Proposal(EntryType.CONF_CHANGE, new byte[] {1}))))
                .isEqualTo(ProposeResult.INVALID_CONF_CHANGE);

        assertThat(c.node(1).lastIndex()).isEqualTo(last);
        assertThat(c.proposeConfChange(1, ConfChangeType.PROMOTE_LEARNER, 4)).as("a valid one still goes")
                .isEqualTo(ProposeResult.APPENDED);
    }

    @Test
    void a_membership_entry_takes_effect_on_append_and_reverts_when_overwritten() {
        TestCluster c = TestCluster.of(1, 2, 3, 4, 5).elect(1);
        c.drop(m -> m.from() == 1 && m.to() >= 3);

        assertThat(c.proposeConfChange(1, ConfChangeType.ADD_LEARNER, 6)).isEqualTo(ProposeResult.APPENDED);
        c.stabilize();
        long index = c.node(1).lastIndex();
        assertThat(c.node(2).lastIndex()).isEqualTo(index);
        assertThat(c.node(2).commitIndex()).as("not committed anywhere").isLessThan(index);
        assertThat(c.node(1).config().learners()).containsExactly(6L);
        assertThat(c.node(2).config().learners()).as("in force on append").containsExactly(6L);
        assertThat(c.node(3).config().learners()).isEmpty();

        // 3, 4 and 5 elect a leader of their own, whose entry replaces the change at that index.
        c.heal();
        c.isolate(1);
        c.isolate(2);
        c.tickAll(30);
        long leader = c.leader();
        assertThat(leader).isIn(3L, 4L, 5L);
        c.heal();
        c.tickAll(5);

        assertThat(c.leader()).isEqualTo(leader);
        for (long id : new long[] {1, 2}) {
            assertThat(c.node(id).termAt(index)).as("node %d entry %d", id, index).isEqualTo(c.node(leader).termAt(index));
            assertThat(c.node(id).config().learners()).as("node %d reverted", id).isEmpty();
            assertThat(c.node(id).config().voters()).containsExactly(1L, 2L, 3L, 4L, 5L);
        }
    }
}
