package dev.consensus.store.raft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.consensus.store.raft.Message.Append;
import dev.consensus.store.raft.Message.AppendResponse;
import dev.consensus.store.raft.Message.HeartbeatResponse;
import dev.consensus.store.raft.Message.Vote;
import dev.consensus.store.raft.Message.VoteResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.LongFunction;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Leader election, Raft paper section 5.2 ("Leader election"): the randomized election timer,
 * the candidate's three outcomes (wins, hears from a leader, times out after a split vote), one
 * vote per term, and the term rule of section 5.1 ("Raft basics").
 */
class ElectionTest {

    private static final int ELECTION_TIMEOUT = RaftConfig.defaults(1).electionTimeoutTicks();

    @Test
    void a_node_starts_as_a_follower_at_the_term_and_vote_its_storage_holds() {
        MemoryStorage disk = MemoryStorage.bootstrap(ConfState.ofVoters(1L, 2L, 3L));
        disk.setHardState(new HardState(7, 2, 3));

        RaftNode node = new RaftNode(RaftConfig.defaults(1), disk, new SplittableRandom(1), RaftLogger.DISCARD);

        assertThat(node.role()).isEqualTo(Role.FOLLOWER);
        assertThat(node.term()).isEqualTo(7);
        assertThat(node.status().vote()).isEqualTo(2);
        assertThat(node.leaderId()).isEqualTo(RaftNode.NONE);
        assertThat(node.commitIndex()).isEqualTo(3);
    }

    @Test
    void a_follower_that_hears_nothing_campaigns_after_a_randomized_timeout_of_one_to_two_election_timeouts() {
        TestCluster c = TestCluster.of(1, 2, 3, 4, 5);
        for (long id = 1; id <= 5; id++) {
            int ticks = c.ticksUntilCampaign(id);
            // [T, 2T): the randomization the paper prescribes to make split votes rare.
            assertThat(ticks).as("node %d", id).isBetween(ELECTION_TIMEOUT, 2 * ELECTION_TIMEOUT - 1);
        }
    }

    @Test
    void nodes_seeded_differently_draw_different_election_timeouts() {
        TestCluster c = TestCluster.of(1, 2, 3, 4, 5);
        Set<Integer> observed = new HashSet<>();
        for (long id = 1; id <= 5; id++) {
            observed.add(c.ticksUntilCampaign(id));
        }
        // Identical timeouts would make every election a split vote.
        assertThat(observed).hasSizeGreaterThan(1);
    }

    @Test
    void a_candidate_that_wins_a_majority_becomes_leader_and_sends_appends_with_a_no_op_of_its_term() {
        TestCluster c = TestCluster.of(1, 2, 3);
        c.node(1).campaign();
        assertThat(c.node(1).role()).isEqualTo(Role.PRE_CANDIDATE);
        runRound(c); // pre-votes out, grants back
        assertThat(c.node(1).role()).isEqualTo(Role.CANDIDATE);
        assertThat(c.node(1).term()).isEqualTo(2);
        runRound(c); // votes out, grants back

        assertThat(c.node(1).role()).isEqualTo(Role.LEADER);
        List<Message> sent = c.processAll();
        for (long follower : List.of(2L, 3L)) {
            Append a = appendTo(sent, follower);
            // Bootstrap entries 1..3 precede the no-op; committing it commits all earlier entries.
            assertThat(a.term()).isEqualTo(2);
            assertThat(a.entries()).containsExactly(Entry.normal(4, 2, new byte[0]));
        }
    }

    @Test
    void a_candidate_that_receives_an_append_from_a_leader_of_its_term_becomes_its_follower() {
        TestCluster c = TestCluster.builder().voters(1, 2, 3).config(cfg -> cfg.withPreVote(false)).build();
        c.node(2).campaign();
        c.node(1).campaign();
        c.processAll();
        List<Message> requests = c.takeInFlight();
        // Node 3 hears node 2 first, so node 2 wins term 2 while node 1 is still a candidate in it.
        requests.stream().filter(m -> m.from() == 2).forEach(c::deliver);
        requests.stream().filter(m -> m.from() == 1).forEach(c::deliver);
        c.processAll();
        List<Message> responses = c.takeInFlight();
        responses.stream().filter(m -> m.to() == 2).forEach(c::deliver);
        assertThat(c.node(1).role()).isEqualTo(Role.CANDIDATE);
        assertThat(c.node(2).role()).isEqualTo(Role.LEADER);

        List<Message> fromLeader = c.processAll();
        c.deliver(appendTo(fromLeader, 1));

        assertThat(c.node(1).role()).isEqualTo(Role.FOLLOWER);
        assertThat(c.node(1).term()).isEqualTo(2);
        assertThat(c.node(1).leaderId()).isEqualTo(2);
        assertThat(c.processAll()).anySatisfy(m -> assertThat(m).isInstanceOfSatisfying(AppendResponse.class,
                r -> assertThat(r.rejected()).isFalse()));
    }

    @Test
    void a_node_grants_at_most_one_vote_per_term_and_persists_it_before_answering() {
        TestCluster c = TestCluster.builder().voters(1, 2, 3).config(cfg -> cfg.withPreVote(false)).build();
        long lastIndex = c.node(3).lastIndex();

        c.node(3).step(new Vote(1, 3, 2, lastIndex, 1, false));
        Ready rd = c.node(3).ready();
        assertThat(rd.hardState()).isEqualTo(new HardState(2, 1, 3));
        assertThat(rd.mustSync()).isTrue();
        assertThat(rd.messagesMayPrecedePersist()).isFalse();
        assertThat(rd.messages()).containsExactly(new VoteResponse(3, 1, 2, true));
        c.storage(3).setHardState(rd.hardState());
        c.node(3).advance();

        // A restart must not let the node forget the vote it gave in term 2.
        c.crash(3);
        c.restart(3);
        c.processAll();
        c.takeInFlight();
        c.node(3).step(new Vote(2, 3, 2, lastIndex, 1, false));
        assertThat(c.processAll()).containsExactly(new VoteResponse(3, 2, 2, false));
        // The same candidate asking again (a retransmission) gets the same answer.
        c.node(3).step(new Vote(1, 3, 2, lastIndex, 1, false));
        assertThat(c.processAll()).containsExactly(new VoteResponse(3, 1, 2, true));
    }

    @Test
    void a_candidate_rejected_by_a_majority_returns_to_follower_in_its_term() {
        TestCluster c = TestCluster.builder().voters(1, 2, 3).config(cfg -> cfg.withPreVote(false)).build();
        c.node(3).campaign();
        c.node(1).campaign();
        c.processAll();
        List<Message> requests = c.takeInFlight();
        // Node 2 votes for node 3 first, so it has no vote left for node 1 in term 2.
        requests.stream().filter(m -> m.from() == 3 && m.to() == 2).forEach(c::deliver);
        requests.stream().filter(m -> m.from() == 1).forEach(c::deliver);
        c.processAll();
        List<Message> responses = c.takeInFlight();
        assertThat(responses).filteredOn(m -> m.to() == 1)
                .containsExactlyInAnyOrder(new VoteResponse(2, 1, 2, false), new VoteResponse(3, 1, 2, false));

        responses.stream().filter(m -> m.to() == 1).forEach(c::deliver);

        assertThat(c.node(1).role()).isEqualTo(Role.FOLLOWER);
        assertThat(c.node(1).term()).isEqualTo(2);
        assertThat(c.node(1).leaderId()).isEqualTo(RaftNode.NONE);
    }

    @Test
    void a_split_vote_is_followed_by_a_new_election_at_a_higher_term() {
        TestCluster c = TestCluster.builder().voters(1, 2, 3, 4).config(cfg -> cfg.withPreVote(false)).build();
        c.node(1).campaign();
        c.node(2).campaign();
        c.processAll();
        List<Message> requests = c.takeInFlight();
        // Nodes 3 and 4 each hear a different candidate first: two votes each, three needed.
        Predicate<Message> heardFirst = m -> (m.from() == 1 && m.to() == 3) || (m.from() == 2 && m.to() == 4);
        requests.stream().filter(heardFirst).forEach(c::deliver);
        requests.stream().filter(heardFirst.negate()).forEach(c::deliver);
        c.stabilize();
        assertThat(c.leader()).isEqualTo(RaftNode.NONE);
        for (long id = 1; id <= 4; id++) {
            assertThat(c.node(id).term()).as("node %d", id).isEqualTo(2);
        }

        c.tickAll(5 * ELECTION_TIMEOUT);

        assertThat(c.leader()).isNotEqualTo(RaftNode.NONE);
        assertThat(c.node(c.leader()).term()).isGreaterThan(2);
    }

    @Test
    void a_node_that_sees_a_higher_term_in_a_message_steps_down_to_follower_at_that_term() {
        // Vote requests are the exception: inside the leader lease they are ignored (PreVoteTest).
        List<LongFunction<Message>> fromNode2AtTerm = List.of(
                t -> new AppendResponse(2, 1, t, false, 4, 0, 0),
                t -> new HeartbeatResponse(2, 1, t, 0),
                t -> new VoteResponse(2, 1, t, false),
                t -> new Append(2, 1, t, 4, 2, List.of(), 4),
                t -> new Message.Heartbeat(2, 1, t, 4, 0));
        for (LongFunction<Message> message : fromNode2AtTerm) {
            TestCluster c = TestCluster.of(1, 2, 3).elect(1);
            Message m = message.apply(9);

            c.deliver(m);

            RaftNode n = c.node(1);
            assertThat(n.role()).as("%s", m).isEqualTo(Role.FOLLOWER);
            assertThat(n.term()).as("%s", m).isEqualTo(9);
            // Only a leader's message names the new leader; a response or vote only names a term.
            boolean fromLeader = m instanceof Append || m instanceof Message.Heartbeat;
            assertThat(n.leaderId()).as("%s", m).isEqualTo(fromLeader ? 2 : RaftNode.NONE);
            c.processAll();
            assertThat(c.storage(1).hardState().term()).as("%s", m).isEqualTo(9);
        }
    }

    @Test
    void a_single_voter_cluster_elects_itself_at_once() {
        TestCluster c = TestCluster.of(1);

        c.node(1).campaign();

        assertThat(c.node(1).role()).isEqualTo(Role.LEADER);
        assertThat(c.node(1).term()).isEqualTo(2);
        assertThat(c.propose(1, "solo")).isEqualTo(ProposeResult.APPENDED);
        c.stabilize();
        assertThat(c.appliedData(1)).containsExactly("solo");
    }

    @Test
    void a_single_voter_cluster_elects_itself_when_its_election_timer_fires() {
        TestCluster c = TestCluster.of(1);

        c.tickAll(2 * ELECTION_TIMEOUT);

        assertThat(c.leader()).isEqualTo(1);
    }

    // ---- helpers ------------------------------------------------------------------------

    /** Delivers what is queued, then processes what that caused: one request/response round. */
    private static void runRound(TestCluster c) {
        c.processAll();
        c.deliverAll();
        c.processAll();
        c.deliverAll();
    }

    private static Append appendTo(List<Message> messages, long to) {
        List<Append> appends = new ArrayList<>();
        for (Message m : messages) {
            if (m instanceof Append a && a.to() == to) {
                appends.add(a);
            }
        }
        assertThat(appends).as("appends to %d", to).hasSize(1);
        return appends.getFirst();
    }
}
