package dev.consensus.store.raft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.consensus.store.raft.Message.Append;
import dev.consensus.store.raft.Message.AppendResponse;
import dev.consensus.store.raft.tracker.ProgressState;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Log replication, Raft paper section 5.3 ("Log replication"): the AppendEntries consistency
 * check, repairing a follower's log by backing off (with the optimization at the end of 5.3 of
 * skipping a whole term per rejection), overwriting conflicting entries, and applying committed
 * entries in order; plus pipelining and flow control (thesis 10.2.1, "Batching and pipelining").
 */
class ReplicationTest {

    private static final long[] IDS = {1, 2, 3};
    private static final int ELECTION_TIMEOUT = RaftConfig.defaults(1).electionTimeoutTicks();

    @Test
    void a_leader_appends_proposals_to_its_log_and_replicates_them_to_every_follower() {
        TestCluster c = TestCluster.of(1, 2, 3).elect(1);
        long before = c.node(1).lastIndex();

        c.propose(1, "a");
        c.propose(1, "b");

        assertThat(c.node(1).lastIndex()).isEqualTo(before + 2);
        List<Message> sent = c.processAll();
        assertThat(appendsTo(sent, 2)).isNotEmpty();
        assertThat(appendsTo(sent, 3)).isNotEmpty();
        c.stabilize();
        for (long id : IDS) {
            assertThat(c.node(id).lastIndex()).as("node %d", id).isEqualTo(before + 2);
            assertThat(c.node(id).commitIndex()).as("node %d", id).isEqualTo(before + 2);
            assertThat(c.appliedData(id)).as("node %d", id).containsExactly("a", "b");
        }
    }

    @Test
    void a_follower_rejects_an_append_that_would_leave_a_gap_and_hints_at_its_last_entry() {
        TestCluster c = TestCluster.of(1, 2, 3).elect(1);
        long last = c.node(2).lastIndex();
        long term = c.node(2).term();

        c.node(2).step(new Append(1, 2, term, last + 2, term, List.of(Entry.normal(last + 3, term, bytes("x"))),
                c.node(1).commitIndex()));

        assertThat(c.processAll()).containsExactly(new AppendResponse(2, 1, term, true, last + 2, last, term));
        assertThat(c.node(2).lastIndex()).isEqualTo(last);
    }

    @Test
    void a_follower_rejects_an_append_whose_previous_entry_has_another_term_and_hints_at_its_last_candidate_match() {
        Diverged d = diverge(10, 3);
        long staleLast = d.c().node(1).lastIndex();

        List<Message> traffic = healAndRepair(d);

        AppendResponse rejection = rejectionsFrom(traffic, 1).getFirst();
        Append probe = appendsTo(traffic, 1).getFirst();
        assertThat(probe.prevLogIndex()).isLessThanOrEqualTo(staleLast);
        assertThat(probe.prevLogTerm()).isEqualTo(3);
        assertThat(rejection.index()).isEqualTo(probe.prevLogIndex());
        // The follower's entry there is of term 2, which may still match an earlier leader entry.
        assertThat(rejection.hintIndex()).isEqualTo(probe.prevLogIndex());
        assertThat(rejection.hintTerm()).isEqualTo(2);
    }

    @Test
    void a_follower_with_a_long_divergent_suffix_is_repaired_in_far_fewer_round_trips_than_divergent_entries() {
        int divergent = 50;
        Diverged d = diverge(divergent, 50);

        List<Message> traffic = healAndRepair(d);

        // One entry per round trip would need about 50; skipping a term per rejection needs 2.
        assertThat(rejectionsFrom(traffic, 1)).hasSizeLessThanOrEqualTo(2);
        assertThat(appendsTo(traffic, 1)).hasSizeLessThanOrEqualTo(4).hasSizeLessThan(divergent / 10);
        assertSameLog(d.c(), 1, d.leader());
    }

    @Test
    void conflicting_uncommitted_entries_are_overwritten_by_the_leaders_entries() {
        Diverged d = diverge(5, 5);
        TestCluster c = d.c();
        assertThat(c.node(1).termAt(6)).isEqualTo(2);

        healAndRepair(d);

        assertSameLog(c, 1, d.leader());
        assertThat(c.node(1).termAt(6)).isEqualTo(3);
        List<Entry> onDisk = c.storage(1).entries(1, c.storage(1).lastIndex() + 1, Long.MAX_VALUE);
        assertThat(onDisk).noneMatch(e -> new String(e.data(), StandardCharsets.UTF_8).startsWith("stale"));
        assertThat(c.appliedData(1)).containsExactly("fresh-0", "fresh-1", "fresh-2", "fresh-3", "fresh-4");
    }

    @Test
    void a_leader_in_replicate_state_pipelines_appends_without_waiting_for_acknowledgements() {
        TestCluster c = TestCluster.of(1, 2, 3).elect(1);
        assertThat(c.node(1).status().progress().get(2L).state()).isEqualTo(ProgressState.REPLICATE);

        List<Message> sent = new ArrayList<>();
        for (String data : List.of("a", "b", "c")) {
            c.propose(1, data);
            sent.addAll(c.processAll());
        }

        List<Append> toFollower = appendsTo(sent, 2);
        assertThat(toFollower).hasSize(3);
        assertThat(toFollower).extracting(Append::prevLogIndex).containsExactly(4L, 5L, 6L);
    }

    @Test
    void a_leader_keeps_at_most_max_inflight_messages_unacknowledged_appends_to_one_follower() {
        TestCluster c = TestCluster.builder().voters(1, 2, 3)
                .config(cfg -> cfg.withFlowControl(1024 * 1024, 3, 64L * 1024 * 1024)).build().elect(1);
        List<Message> sent = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            c.propose(1, "w" + i);
            sent.addAll(c.processAll());
        }
        List<Append> window = appendsTo(sent, 2);
        assertThat(window).hasSize(3);
        c.takeInFlight();

        // One acknowledgement frees one slot, and the next append takes everything that waited.
        c.deliver(window.getFirst());
        c.processAll();
        c.deliverAll();
        List<Append> next = appendsTo(c.processAll(), 2);

        assertThat(next).hasSize(1);
        assertThat(next.getFirst().prevLogIndex()).isEqualTo(window.getLast().entries().getLast().index());
        assertThat(next.getFirst().entries().getLast().index()).isEqualTo(c.node(1).lastIndex());
    }

    @Test
    void each_append_carries_at_most_max_bytes_per_message_of_entries_but_at_least_one_entry() {
        long limit = 100;
        TestCluster c = TestCluster.builder().voters(1, 2, 3)
                .config(cfg -> cfg.withFlowControl(limit, 256, 64L * 1024 * 1024)).build().elect(1);
        List<Proposal> small = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            small.add(Proposal.of(bytes("ten-bytes" + i))); // 10 bytes + 24 overhead: two fit, three do not
        }
        c.node(1).propose(small);
        c.node(1).propose(new byte[500]);

        List<Append> appends = appendsOf(runCollecting(c));

        assertThat(appends).filteredOn(a -> !a.entries().isEmpty()).allSatisfy(a ->
                assertThat(entryBytes(a) <= limit || a.entries().size() == 1).as("%s", a).isTrue());
        assertThat(appends).extracting(a -> a.entries().size()).contains(2).doesNotContain(3, 4, 5, 6, 7);
        assertThat(appends).anySatisfy(a -> assertThat(entryBytes(a)).isGreaterThan(limit));
        for (long id : IDS) {
            assertSameLog(c, id, 1);
        }
    }

    @Test
    void a_follower_that_missed_messages_catches_up_after_the_partition_heals() {
        TestCluster c = TestCluster.of(1, 2, 3).elect(1);
        c.isolate(3);
        for (int i = 0; i < 5; i++) {
            c.propose(1, "w" + i);
        }
        c.stabilize();
        assertThat(c.appliedData(3)).isEmpty();

        c.heal();
        c.tickAll(1);

        assertSameLog(c, 3, 1);
        assertThat(c.node(3).commitIndex()).isEqualTo(c.node(1).commitIndex());
        assertThat(c.appliedData(3)).containsExactly("w0", "w1", "w2", "w3", "w4");
    }

    @Test
    void committed_entries_are_applied_in_log_order_exactly_once_on_every_node_across_leader_changes() {
        TestCluster c = TestCluster.of(1, 2, 3).elect(1);
        List<String> expected = new ArrayList<>();
        proposeAll(c, 1, expected, "a0", "a1");
        c.isolate(3);
        proposeAll(c, 1, expected, "b0", "b1");
        assertThat(c.node(1).transferLeadership(2)).isTrue();
        c.stabilize();
        assertThat(c.leader()).isEqualTo(2);
        proposeAll(c, 1, expected, "c0", "c1"); // forwarded by the old leader
        c.heal();
        c.tickAll(ELECTION_TIMEOUT);
        proposeAll(c, 2, expected, "d0");
        c.tickAll(1);

        for (long id : IDS) {
            List<Entry> applied = c.applied(id);
            assertThat(applied).extracting(Entry::index).as("node %d", id)
                    .containsExactlyElementsOf(rangeClosed(1, c.node(id).commitIndex()));
            assertThat(applied).as("node %d", id).isEqualTo(c.applied(1));
            assertThat(c.appliedData(id)).as("node %d", id).containsExactlyElementsOf(expected);
        }
    }

    // ---- scenario: node 1 holds a suffix of term 2 that the cluster replaced with terms 3 and 4 --

    private record Diverged(TestCluster c, long leader) {}

    /**
     * Node 1 leads term 2 and, cut off, appends {@code stale} entries alone. Nodes 2 and 3 elect
     * a leader at term 3 that commits {@code fresh} entries, then hand leadership over once more
     * so that the term-4 leader's first probe to node 1 starts at the end of its long log.
     */
    private static Diverged diverge(int stale, int fresh) {
        TestCluster c = TestCluster.of(1, 2, 3).elect(1);
        c.isolate(1);
        for (int i = 0; i < stale; i++) {
            c.propose(1, "stale-" + i);
        }
        c.stabilize();
        for (int tick = 0; tick < 100 && c.leader() == 1; tick++) {
            c.tickAll(1);
        }
        long first = c.leader();
        assertThat(first).isIn(2L, 3L);
        for (int i = 0; i < fresh; i++) {
            c.propose(first, "fresh-" + i);
        }
        c.stabilize();
        long second = first == 2 ? 3 : 2;
        assertThat(c.node(first).transferLeadership(second)).isTrue();
        c.stabilize();
        assertThat(c.leader()).isEqualTo(second);
        assertThat(c.node(second).term()).isEqualTo(4);
        assertThat(c.node(1).lastIndex()).isEqualTo(4 + stale);
        return new Diverged(c, second);
    }

    /** Heals, then ticks until node 1's log is the leader's; returns all messages delivered. */
    private static List<Message> healAndRepair(Diverged d) {
        TestCluster c = d.c();
        c.heal();
        List<Message> traffic = new ArrayList<>();
        for (int tick = 0; tick < 5 && !sameLog(c, 1, d.leader()); tick++) {
            for (long id : IDS) {
                c.node(id).tick();
            }
            traffic.addAll(runCollecting(c));
        }
        return traffic;
    }

    // ---- helpers ------------------------------------------------------------------------

    /** Like {@link TestCluster#stabilize()}, but returns every message that crossed the network. */
    private static List<Message> runCollecting(TestCluster c) {
        List<Message> delivered = new ArrayList<>();
        c.processAll();
        for (int round = 0; round < 10_000; round++) {
            List<Message> batch = c.takeInFlight();
            if (batch.isEmpty()) {
                return delivered;
            }
            batch.forEach(c::deliver);
            delivered.addAll(batch);
            c.processAll();
        }
        throw new IllegalStateException("cluster did not quiesce");
    }

    private static void proposeAll(TestCluster c, long via, List<String> expected, String... data) {
        for (String d : data) {
            assertThat(c.propose(via, d)).isIn(ProposeResult.APPENDED, ProposeResult.FORWARDED);
            expected.add(d);
        }
        c.stabilize();
    }

    private static boolean sameLog(TestCluster c, long a, long b) {
        if (c.node(a).lastIndex() != c.node(b).lastIndex()) {
            return false;
        }
        for (long i = 1; i <= c.node(a).lastIndex(); i++) {
            if (c.node(a).termAt(i) != c.node(b).termAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static void assertSameLog(TestCluster c, long a, long b) {
        assertThat(sameLog(c, a, b)).as("logs of %d and %d: %s", a, b, c.describe()).isTrue();
    }

    private static List<Append> appendsOf(List<Message> messages) {
        return messages.stream().filter(Append.class::isInstance).map(Append.class::cast).toList();
    }

    private static List<Append> appendsTo(List<Message> messages, long to) {
        return appendsOf(messages).stream().filter(a -> a.to() == to).toList();
    }

    private static List<AppendResponse> rejectionsFrom(List<Message> messages, long from) {
        return messages.stream().filter(AppendResponse.class::isInstance).map(AppendResponse.class::cast)
                .filter(r -> r.from() == from && r.rejected()).toList();
    }

    private static long entryBytes(Append a) {
        return a.entries().stream().mapToLong(Entry::sizeBytes).sum();
    }

    private static List<Long> rangeClosed(long from, long to) {
        List<Long> out = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            out.add(i);
        }
        return out;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
