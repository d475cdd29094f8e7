package dev.consensus.store.raft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.consensus.store.raft.sim.SimStateMachine;
import dev.consensus.store.raft.tracker.ProgressState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Log compaction by snapshotting (Raft paper section 7): once the leader has discarded the
 * entries a follower needs next, it sends InstallSnapshot instead; the follower replaces its log
 * with the snapshot unless the snapshot holds nothing it lacks, and then receives the entries
 * after it. A restarted node rebuilds its state from its snapshot plus its log.
 */
class SnapshotTest {

    /** Snapshot every five applied entries and keep none behind it, so compaction bites early. */
    private static TestCluster compactingCluster() {
        return TestCluster.builder().voters(1, 2, 3).snapshotEvery(5, 0).build().elect(1);
    }

    private static void write(TestCluster c, long leader, String prefix, int count) {
        for (int i = 0; i < count; i++) {
            assertThat(c.propose(leader, prefix + i)).isEqualTo(ProposeResult.APPENDED);
            c.stabilize();
        }
    }

    /**
     * The node's state machine as its disk and its applied entries define it: the snapshot on
     * disk, then the entries applied after it. Two nodes agree on their whole applied history
     * exactly when these agree (the simulator's chained digest).
     */
    private static String appliedState(TestCluster c, long id) {
        SimStateMachine sm = SimStateMachine.fromSnapshot(c.storage(id).snapshot());
        for (Entry e : c.applied(id)) {
            if (e.index() > sm.appliedIndex()) {
                sm.apply(e);
            }
        }
        return sm.appliedIndex() + "/" + Long.toHexString(sm.digest());
    }

    private static List<Message.InstallSnapshot> snapshotsTo(List<Message> messages, long to) {
        List<Message.InstallSnapshot> out = new ArrayList<>();
        for (Message m : messages) {
            if (m instanceof Message.InstallSnapshot s && s.to() == to) {
                out.add(s);
            }
        }
        return out;
    }


    @Test
    void a_follower_that_was_down_while_the_leader_compacted_gets_a_snapshot_then_the_entries_after_it() {
        TestCluster c = compactingCluster();
        c.crash(3);
        write(c, 1, "w", 12);
        assertThat(c.storage(1).firstIndex()).as("the leader compacted").isGreaterThan(c.storage(3).lastIndex() + 1);

        c.restart(3);
        c.processAll();
        c.node(1).tick();
        List<Message> sent = c.stabilize();
        write(c, 1, "after", 2);
        c.tickAll(1);

        assertThat(snapshotsTo(sent, 3)).hasSize(1);
        long snapshotIndex = snapshotsTo(sent, 3).getFirst().snapshot().index();
        assertThat(c.applied(3)).as("entries after the snapshot were replicated")
                .anyMatch(e -> e.index() > snapshotIndex);
        assertThat(c.appliedData(3)).endsWith("after0", "after1");
        assertThat(c.node(3).lastIndex()).isEqualTo(c.node(1).lastIndex());
        assertThat(appliedState(c, 3)).isEqualTo(appliedState(c, 1)).isEqualTo(appliedState(c, 2));
    }

    @Test
    void a_learner_joining_after_compaction_catches_up_through_a_snapshot() {
        TestCluster c = compactingCluster();
        write(c, 1, "w", 12);
        assertThat(c.storage(1).firstIndex()).isGreaterThan(1);
        c.addJoining(4);

        assertThat(c.proposeConfChange(1, ConfChangeType.ADD_LEARNER, 4)).isEqualTo(ProposeResult.APPENDED);
        List<Message> sent = c.stabilize();
        write(c, 1, "after", 1);
        c.tickAll(1);

        assertThat(snapshotsTo(sent, 4)).isNotEmpty();
        assertThat(c.node(4).config().learners()).containsExactly(4L);
        assertThat(c.node(1).status().progress().get(4L).match()).isEqualTo(c.node(1).lastIndex());
        assertThat(c.appliedData(4)).endsWith("after0");
        assertThat(appliedState(c, 4)).isEqualTo(appliedState(c, 1));
    }

    @Test
    void a_failed_snapshot_delivery_makes_the_leader_probe_and_send_it_again_later() {
        TestCluster c = compactingCluster();
        c.crash(3);
        write(c, 1, "w", 12);
        c.restart(3);
        c.processAll();
        c.drop(m -> m instanceof Message.InstallSnapshot);

        c.tickAll(1);
        assertThat(snapshotsTo(c.dropped(), 3)).as("one attempt, no retry storm").hasSize(1);
        NodeStatus.MemberProgress failed = c.node(1).status().progress().get(3L);
        assertThat(failed.state()).isEqualTo(ProgressState.PROBE);
        long lastOnThree = c.node(3).lastIndex();

        c.tickAll(1);
        assertThat(snapshotsTo(c.dropped(), 3)).as("retried once 3 answered again").hasSize(2);
        assertThat(c.node(3).lastIndex()).isEqualTo(lastOnThree);

        c.heal();
        c.tickAll(2);
        NodeStatus.MemberProgress recovered = c.node(1).status().progress().get(3L);
        assertThat(recovered.state()).isEqualTo(ProgressState.REPLICATE);
        assertThat(recovered.match()).isEqualTo(c.node(1).lastIndex());
        assertThat(appliedState(c, 3)).isEqualTo(appliedState(c, 1));
    }

    @Test
    void a_follower_ignores_a_snapshot_older_than_its_commit_index() {
        TestCluster c = compactingCluster();
        write(c, 1, "w", 1);
        Snapshot old = c.storage(1).snapshot();
        write(c, 1, "w", 8);
        c.tickAll(1);
        long commit = c.node(2).commitIndex();
        long last = c.node(2).lastIndex();
        Snapshot ownSnapshot = c.storage(2).snapshot();
        String stateBefore = appliedState(c, 2);
        // 2 has compacted past the old snapshot, so only its commit index shows the snapshot is stale.
        assertThat(old.index()).isPositive().isLessThan(ownSnapshot.index());
        assertThat(c.node(2).termAt(old.index())).isEqualTo(-1);

        c.deliver(new Message.InstallSnapshot(1, 2, c.node(1).term(), old));
        List<Message> answer = c.processAll();

        assertThat(answer).singleElement()
                .isEqualTo(new Message.AppendResponse(2, 1, c.node(2).term(), false, commit, 0, 0));
        assertThat(c.node(2).lastIndex()).isEqualTo(last);
        assertThat(c.node(2).commitIndex()).isEqualTo(commit);
        assertThat(c.storage(2).snapshot()).isSameAs(ownSnapshot);
        assertThat(appliedState(c, 2)).isEqualTo(stateBefore);
    }

    @Test
    void a_leader_sends_no_snapshot_to_a_follower_it_has_not_heard_from_recently() {
        TestCluster c = compactingCluster();
        c.crash(3);
        write(c, 1, "w", 12);
        // One check-quorum round without word from 3 marks it inactive.
        c.tickAll(RaftConfig.defaults(1).electionTimeoutTicks() + 1);
        c.node(1).reportUnreachable(3);
        write(c, 1, "more", 1);

        assertThat(snapshotsTo(c.dropped(), 3)).as("nothing wasted on a node that may be down").isEmpty();

        c.restart(3);
        c.processAll();
        c.tickAll(2);
        assertThat(c.node(1).status().progress().get(3L).match()).isEqualTo(c.node(1).lastIndex());
        assertThat(appliedState(c, 3)).isEqualTo(appliedState(c, 1));
    }

    @Test
    void after_a_restart_a_node_rebuilds_from_its_snapshot_plus_its_log() {
        TestCluster c = TestCluster.builder().voters(1, 2, 3).snapshotEvery(5, 2).build().elect(1);
        write(c, 1, "w", 12);
        c.tickAll(1);
        Snapshot onDisk = c.storage(2).snapshot();
        long commit = c.node(2).commitIndex();
        String before = appliedState(c, 2);
        assertThat(onDisk.index()).isPositive().isLessThan(commit);

        c.crash(2);
        c.restart(2);
        c.processAll();

        assertThat(c.node(2).status().firstIndex()).isEqualTo(c.storage(2).firstIndex());
        assertThat(c.applied(2)).as("replays exactly the committed entries after the snapshot")
                .extracting(Entry::index).first().isEqualTo(onDisk.index() + 1);
        assertThat(c.applied(2).getLast().index()).isEqualTo(commit);
        assertThat(appliedState(c, 2)).isEqualTo(before);
        assertThat(c.node(2).config().voters()).containsExactly(1L, 2L, 3L);

        c.propose(1, "after-restart");
        c.stabilize();
        c.tickAll(1);
        assertThat(c.appliedData(2)).endsWith("after-restart");
        assertThat(appliedState(c, 2)).isEqualTo(appliedState(c, 1));
    }
}
