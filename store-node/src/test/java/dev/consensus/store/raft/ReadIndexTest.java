package dev.consensus.store.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Linearizable reads without writing to the log, by ReadIndex (thesis 6.4): the leader records
 * its commit index, confirms with a round of heartbeats that it still leads, and releases the
 * read at that index; a new leader first commits an entry of its own term (6.4 step 1), and a
 * follower's read is ordered by the leader (6.4.4 "reads from followers").
 */
class ReadIndexTest {


    private static List<Long> readRounds(List<Message> sent) {
        return sent.stream()
                .filter(m -> m instanceof Message.Heartbeat h && h.readRound() != 0)
                .map(m -> ((Message.Heartbeat) m).readRound())
                .distinct()
                .toList();
    }

    private static TestCluster threeWithOneWrite() {
        TestCluster c = TestCluster.of(1, 2, 3).elect(1);
        c.propose(1, "a");
        c.stabilize();
        return c;
    }

    @Test
    void a_read_at_the_leader_is_released_at_the_commit_index_after_a_heartbeat_round() {
        TestCluster c = threeWithOneWrite();
        long commit = c.node(1).commitIndex();

        assertThat(c.node(1).requestRead(7)).isTrue();
        List<Message> first = c.processAll();

        assertThat(c.readStates(1)).as("not before a majority confirmed").isEmpty();
        assertThat(first).filteredOn(m -> m instanceof Message.Heartbeat h && h.readRound() != 0)
                .extracting(Message::to).containsExactlyInAnyOrder(2L, 3L);
        c.stabilize();
        assertThat(c.readStates(1)).containsExactly(new ReadState(commit, 7));
    }

    @Test
    void a_read_is_not_released_while_the_heartbeats_go_unanswered() {
        TestCluster c = threeWithOneWrite();
        c.drop(m -> m instanceof Message.HeartbeatResponse);

        c.node(1).requestRead(7);
        c.stabilize();
        c.tickAll(3);

        assertThat(c.readStates(1)).isEmpty();
    }

    @Test
    void a_round_whose_acknowledgements_were_lost_completes_with_the_next_periodic_heartbeat() {
        TestCluster c = threeWithOneWrite();
        long commit = c.node(1).commitIndex();
        c.drop(m -> m instanceof Message.HeartbeatResponse);
        c.node(1).requestRead(7);
        c.stabilize();
        assertThat(c.readStates(1)).isEmpty();

        c.heal();
        c.tickAll(1);

        // The round in flight is still confirmable; a stuck round would block every later read.
        assertThat(c.readStates(1)).containsExactly(new ReadState(commit, 7));
        c.node(1).requestRead(8);
        c.stabilize();
        assertThat(c.readStates(1)).containsExactly(new ReadState(commit, 7), new ReadState(commit, 8));
    }

    @Test
    void reads_requested_while_a_round_is_in_flight_are_released_together_by_the_next_round() {
        TestCluster c = threeWithOneWrite();
        long commit = c.node(1).commitIndex();

        c.node(1).requestRead(1);
        List<Message> sent = new ArrayList<>(c.processAll());
        List<Message> roundOne = c.takeInFlight();
        c.node(1).requestRead(2);
        c.node(1).requestRead(3);
        assertThat(readRounds(c.processAll())).as("no second round while the first is in flight").isEmpty();

        roundOne.forEach(c::deliver);
        sent.addAll(c.stabilize());

        assertThat(c.readStates(1)).containsExactly(
                new ReadState(commit, 1), new ReadState(commit, 2), new ReadState(commit, 3));
        assertThat(readRounds(sent)).as("three reads, two heartbeat rounds").hasSize(2);
    }

    @Test
    void a_new_leader_serves_no_read_before_it_commits_an_entry_of_its_own_term() {
        TestCluster c = threeWithOneWrite();
        c.drop(m -> m instanceof Message.AppendResponse && m.to() == 2);
        assertThat(c.node(1).transferLeadership(2)).isTrue();
        c.stabilize();
        assertThat(c.leader()).isEqualTo(2);
        long term = c.node(2).term();
        assertThat(c.node(2).termAt(c.node(2).commitIndex())).isLessThan(term);

        assertThat(c.node(2).requestRead(5)).isTrue();
        List<Message> sent = c.stabilize();

        assertThat(readRounds(sent)).as("no round may start yet").isEmpty();
        assertThat(c.readStates(2)).isEmpty();

        c.heal();
        c.tickAll(1);
        assertThat(c.readStates(2)).singleElement().satisfies(rs -> {
            assertThat(rs.requestId()).isEqualTo(5);
            assertThat(c.node(2).termAt(rs.index())).as("released at an index of the new term").isEqualTo(term);
        });
    }

    @Test
    void a_read_at_a_follower_is_ordered_by_the_leader_and_released_at_the_follower() {
        TestCluster c = threeWithOneWrite();
        long commit = c.node(1).commitIndex();

        assertThat(c.node(2).requestRead(9)).isTrue();
        List<Message> sent = c.stabilize();

        assertThat(sent).anyMatch(m -> m instanceof Message.ReadIndexRequest r && r.from() == 2 && r.to() == 1);
        assertThat(c.readStates(2)).containsExactly(new ReadState(commit, 9));
        assertThat(c.readStates(1)).isEmpty();
    }

    @Test
    void a_leader_cut_off_from_its_majority_never_releases_a_read() {
        TestCluster c = threeWithOneWrite();
        c.isolate(1);

        assertThat(c.node(1).requestRead(3)).isTrue();
        c.stabilize();
        c.tickAll(30);
        long newLeader = c.leader();
        assertThat(newLeader).isIn(2L, 3L);
        c.propose(newLeader, "b");
        c.stabilize();
        assertThat(c.appliedData(newLeader)).containsExactly("a", "b");
        c.heal();
        c.tickAll(5);

        // Released at the old commit index, the read would have missed the write "b".
        assertThat(c.readStates(1)).isEmpty();
    }

    @Test
    void request_read_returns_false_when_no_leader_is_known() {
        TestCluster c = TestCluster.of(1, 2, 3);

        assertThat(c.node(1).requestRead(1)).isFalse();
        assertThat(c.node(2).requestRead(2)).isFalse();
        assertThat(c.processAll()).isEmpty();
    }

    @Test
    void a_single_voter_leader_releases_a_read_at_once() {
        TestCluster c = TestCluster.of(1).elect(1);
        long commit = c.node(1).commitIndex();

        c.node(1).requestRead(4);
        List<Message> sent = c.stabilize();

        assertThat(sent).isEmpty();
        assertThat(c.readStates(1)).containsExactly(new ReadState(commit, 4));
    }
}
