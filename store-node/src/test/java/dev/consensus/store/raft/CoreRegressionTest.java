package dev.consensus.store.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Bugs the simulator found in the core, each pinned by a test that fails without its fix. (A
 * member added after the leader's latest snapshot refusing that snapshot is pinned by
 * {@code SnapshotTest.a_learner_joining_after_compaction_catches_up_through_a_snapshot}.)
 */
class CoreRegressionTest {

    /**
     * The initial membership lived only in a bootstrap snapshot at index 0, which is never sent;
     * a joining member replicated from index 1, saw only its own admission, and once promoted
     * believed itself the only voter. Now the initial members are committed entries at term 1.
     */
    @Test
    void a_joining_member_learns_the_initial_membership_from_the_log() {
        TestCluster c = TestCluster.of(1, 2, 3).elect(1);
        c.addJoining(4);
        c.proposeConfChange(1, ConfChangeType.ADD_LEARNER, 4);
        c.stabilize();
        assertThat(c.node(4).config()).isEqualTo(new ConfState(Set.of(1L, 2L, 3L), Set.of(4L)));

        c.proposeConfChange(1, ConfChangeType.PROMOTE_LEARNER, 4);
        c.stabilize();
        c.isolate(4);
        c.tickAll(50);
        assertThat(c.node(4).role()).as("one voter of four cannot elect itself").isNotEqualTo(Role.LEADER);
    }

    /**
     * With the in-flight window full and the acknowledgement of its only append lost, the leader
     * never sent to that follower again. A heartbeat response now frees one slot, as in etcd.
     */
    @Test
    void a_lost_acknowledgement_does_not_stall_a_full_window_for_good() {
        TestCluster c = TestCluster.builder().voters(1, 2, 3)
                .config(cfg -> cfg.withFlowControl(1024 * 1024, 1, 64L * 1024 * 1024)).build();
        c.elect(1);
        AtomicInteger lost = new AtomicInteger();
        c.drop(m -> m instanceof Message.AppendResponse r && r.from() == 2 && lost.getAndIncrement() == 0);
        c.propose(1, "a");
        c.stabilize();
        c.propose(1, "b");
        c.propose(1, "c");
        c.stabilize();
        c.heal();
        c.tickAll(3);
        assertThat(c.appliedData(2)).containsExactly("a", "b", "c");
    }

    /**
     * Leader 1 of {1, 2} proposed its own removal and crashed before 2 received it. Restarted, it
     * counted itself removed and would not campaign, while 2, still counting it, needed its vote
     * and was refused for its shorter log: no leader, ever. A node whose removal is not yet
     * committed may now lead (thesis 4.2.2), commit its removal, and hand over.
     */
    @Test
    void a_leader_that_crashed_right_after_proposing_its_removal_can_still_finish_it() {
        TestCluster c = TestCluster.of(1, 2).elect(1);
        c.cut(1, 2);
        assertThat(c.proposeConfChange(1, ConfChangeType.REMOVE_MEMBER, 1)).isEqualTo(ProposeResult.APPENDED);
        c.stabilize();
        c.crash(1);
        c.restart(1);
        c.heal();
        for (int i = 0; i < 100 && c.leader() != 2; i++) {
            c.tickAll(1);
        }
        assertThat(c.leader()).as("%s", c.describe()).isEqualTo(2);
        assertThat(c.node(2).config()).isEqualTo(ConfState.ofVoters(2L));
        assertThat(c.propose(2, "alone")).isEqualTo(ProposeResult.APPENDED);
        c.stabilize();
        assertThat(c.appliedData(2)).contains("alone");
    }
}
