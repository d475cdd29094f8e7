package dev.consensus.store.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.consensus.store.raft.Message.Append;
import dev.consensus.store.raft.Message.Vote;
import dev.consensus.store.raft.Message.VoteResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Safety, Raft paper section 5.4 ("Safety"): the election restriction (5.4.1), committing
 * entries from previous terms only through an entry of the current term (5.4.2, Figure 8), and
 * what they buy: Leader Completeness and State Machine Safety (5.4.3, Figure 3).
 */
class SafetyTest {

    private static final long[] FIVE = {1, 2, 3, 4, 5};

    @Test
    void a_voter_rejects_a_candidate_whose_last_log_term_is_lower_even_if_its_log_is_longer() {
        TestCluster c = noPreVote(1, 2, 3).elect(1);
        RaftNode voter = c.node(2);
        long last = voter.lastIndex();

        voter.step(new Vote(3, 2, 3, last + 10, 1, false));
        assertThat(c.processAll()).containsExactly(new VoteResponse(2, 3, 3, false));

        // Same term, same candidate, now with the voter's own last entry: granted.
        voter.step(new Vote(3, 2, 3, last, 2, false));
        assertThat(c.processAll()).containsExactly(new VoteResponse(2, 3, 3, true));
    }

    @Test
    void a_voter_rejects_a_candidate_whose_last_log_term_is_equal_but_whose_log_is_shorter() {
        TestCluster c = noPreVote(1, 2, 3).elect(1);
        c.isolate(3);
        c.propose(1, "w");
        c.stabilize();
        c.heal();

        c.node(3).campaign();
        c.processAll();
        Message request = c.takeInFlight().stream().filter(m -> m.to() == 2).findFirst().orElseThrow();
        assertThat(request).isEqualTo(new Vote(3, 2, 3, 4, 2, false));
        c.deliver(request);
        assertThat(c.processAll()).containsExactly(new VoteResponse(2, 3, 3, false));

        c.node(2).step(new Vote(3, 2, 3, 5, 2, false));
        assertThat(c.processAll()).containsExactly(new VoteResponse(2, 3, 3, true));
    }

    @Test
    void a_node_whose_log_lacks_committed_entries_cannot_become_leader() {
        TestCluster c = noPreVote(1, 2, 3).elect(1);
        c.isolate(3);
        List.of("w0", "w1", "w2").forEach(w -> c.propose(1, w));
        c.stabilize();
        c.crash(1);
        c.heal();

        // Nodes 2 and 3 are a majority, but only node 2 holds what was committed.
        for (int attempt = 0; attempt < 3; attempt++) {
            c.node(3).campaign();
            c.stabilize();
            assertThat(c.node(3).role()).as("attempt %d", attempt).isNotEqualTo(Role.LEADER);
        }
        for (int tick = 0; tick < 200 && c.leader() == RaftNode.NONE; tick++) {
            c.tickAll(1);
            assertThat(c.node(3).role()).as("tick %d", tick).isNotEqualTo(Role.LEADER);
        }

        assertThat(c.leader()).isEqualTo(2);
        c.tickAll(1);
        assertThat(c.appliedData(3)).containsExactly("w0", "w1", "w2");
    }

    @Test
    void a_leader_does_not_commit_an_entry_of_a_previous_term_although_a_majority_stores_it() {
        TestCluster c = figure8UpToC();
        RaftNode s1 = c.node(1);
        assertThat(s1.status().progress().get(2L).match()).isEqualTo(7);
        assertThat(s1.status().progress().get(3L).match()).isEqualTo(7);
        assertThat(List.of(s1.commitIndex(), c.node(2).commitIndex(), c.node(3).commitIndex()))
                .containsOnly(6L);

        // Figure 8 (d): that is just as well, since S5 can still be elected and replace it.
        c.crash(1);
        c.heal();
        c.restart(5);
        campaignUntilLeader(c, 5);
        c.tickAll(1);

        for (long id = 2; id <= 5; id++) {
            assertThat(c.node(id).termAt(7)).as("S%d", id).isEqualTo(3);
            assertThat(c.appliedData(id)).as("S%d", id).containsExactly("y");
        }
    }

    @Test
    void an_entry_of_a_previous_term_commits_only_with_one_of_the_current_term_and_is_never_overwritten_after() {
        TestCluster c = figure8UpToC();
        CommitWatcher watcher = new CommitWatcher();
        watcher.check(c);

        // Figure 8 (e): S1 gets its term-4 entry onto a majority, which commits index 7 with it.
        c.heal();
        TreeSet<Long> commitsSeen = new TreeSet<>();
        for (long id : new long[] {1, 2, 3, 4}) {
            c.node(id).tick();
        }
        for (int round = 0; round < 1000; round++) {
            c.processAll();
            List<Message> batch = c.takeInFlight();
            if (batch.isEmpty()) {
                break;
            }
            for (Message m : batch) {
                c.deliver(m);
                commitsSeen.add(c.node(1).commitIndex());
            }
        }
        assertThat(commitsSeen).doesNotContain(7L).contains(6L, 8L);
        watcher.check(c);

        // S5 can no longer win, and whoever does keeps "x" at index 7.
        c.crash(1);
        c.restart(5);
        for (int attempt = 0; attempt < 3; attempt++) {
            c.node(5).campaign();
            c.stabilize();
            watcher.check(c);
            assertThat(c.node(5).role()).as("attempt %d", attempt).isNotEqualTo(Role.LEADER);
        }
        tickUntilLeader(c, watcher);
        c.tickAll(1);
        watcher.check(c);

        assertThat(c.leader()).isIn(2L, 3L, 4L);
        for (long id = 2; id <= 5; id++) {
            assertThat(c.node(id).termAt(7)).as("S%d", id).isEqualTo(2);
            assertThat(c.appliedData(id)).as("S%d", id).containsExactly("x");
        }
    }

    @Test
    void a_newly_elected_leader_holds_every_entry_committed_before_its_election() {
        TestCluster c = TestCluster.of(FIVE).elect(1);
        CommitWatcher watcher = new CommitWatcher();
        Map<Long, Long> leadersByTerm = new HashMap<>();

        runLeaderChanges(c, watcher, () -> {
            long leader = c.leader();
            if (leader != RaftNode.NONE && leadersByTerm.putIfAbsent(c.node(leader).term(), leader) == null) {
                watcher.assertHoldsEveryCommittedEntry(c, leader);
            }
        });

        assertThat(leadersByTerm).as("leader changes exercised").hasSizeGreaterThanOrEqualTo(4);
    }

    @Test
    void no_two_nodes_apply_different_entries_at_the_same_index_across_leader_changes_and_restarts() {
        TestCluster c = TestCluster.of(FIVE).elect(1);
        CommitWatcher watcher = new CommitWatcher();

        runLeaderChanges(c, watcher, () -> { });
        c.heal();
        c.tickAll(5);

        watcher.check(c);
        for (long id : FIVE) {
            assertThat(c.applied(id)).as("S%d", id).isEqualTo(c.applied(1));
        }
        assertThat(c.appliedData(1)).hasSizeGreaterThanOrEqualTo(12).doesNotHaveDuplicates();
    }

    // ---- Figure 8 -----------------------------------------------------------------------

    /**
     * Figure 8 (a) to (c) with five nodes; bootstrap fills indexes 1..5 and S1's first no-op
     * index 6, so the paper's index 2 is index 7 here, and its terms are one higher.
     * (a) S1 leads term 2 and appends "x" at 7 that reaches no one. (b) S5 leads term 3 and
     * appends its no-op and "y" at 7 and 8 that reach no one. (c) S1 leads term 4 and gets
     * index 7 onto S2 and S3 (a majority with itself), while its own term-4 no-op is lost.
     */
    private static TestCluster figure8UpToC() {
        TestCluster c = TestCluster.builder().voters(FIVE)
                .config(cfg -> cfg.withPreVote(false).withCheckQuorum(false)
                        .withFlowControl(1, 256, 64L * 1024 * 1024)) // one entry per append
                .build().elect(1);
        c.isolate(1);
        c.propose(1, "x");
        c.stabilize();
        c.crash(1);
        c.heal();

        c.drop(m -> m instanceof Append && m.from() == 5);
        c.elect(5);
        assertThat(c.node(5).term()).isEqualTo(3);
        c.propose(5, "y");
        c.stabilize();
        c.crash(5);
        c.heal();

        c.restart(1);
        c.cut(1, 4);
        c.cut(4, 1);
        // Lost: every append of S1 that would store an entry of S1's current term.
        c.drop(m -> m instanceof Append a && a.from() == 1
                && a.entries().stream().anyMatch(e -> e.term() == a.term())
                && c.node(a.to()).termAt(a.prevLogIndex()) == a.prevLogTerm());
        campaignUntilLeader(c, 1);
        assertThat(c.node(1).term()).isEqualTo(4);
        assertThat(List.of(c.node(1).termAt(7), c.node(2).termAt(7), c.node(3).termAt(7))).containsOnly(2L);
        assertThat(c.node(1).termAt(8)).isEqualTo(4);
        return c;
    }

    // ---- helpers ------------------------------------------------------------------------

    private static TestCluster noPreVote(long... voters) {
        return TestCluster.builder().voters(voters).config(cfg -> cfg.withPreVote(false).withCheckQuorum(false))
                .build();
    }

    private static void campaignUntilLeader(TestCluster c, long id) {
        for (int attempt = 0; attempt < 5 && c.node(id).role() != Role.LEADER; attempt++) {
            c.node(id).campaign();
            c.stabilize();
        }
        assertThat(c.node(id).role()).as("S%d after campaigning: %s", id, c.describe()).isEqualTo(Role.LEADER);
    }

    private static void tickUntilLeader(TestCluster c, CommitWatcher watcher) {
        for (int tick = 0; tick < 200 && c.leader() == RaftNode.NONE; tick++) {
            c.tickAll(1);
            watcher.check(c);
        }
        assertThat(c.leader()).as("%s", c.describe()).isNotEqualTo(RaftNode.NONE);
    }

    /**
     * Rounds of writes while a follower is cut off, then the leader is deposed (cut off or
     * crashed) and the rest elect another; {@code afterTick} runs after every tick.
     */
    private static void runLeaderChanges(TestCluster c, CommitWatcher watcher, Runnable afterTick) {
        for (int round = 0; round < 6; round++) {
            long leader = c.leader();
            long lagging = leader % 5 + 1;
            c.propose(leader, "r" + round + "-a");
            c.isolate(lagging);
            c.propose(leader, "r" + round + "-b");
            c.propose(leader, "r" + round + "-c");
            c.stabilize();
            watcher.check(c);
            boolean crash = round % 2 == 1;
            if (crash) {
                c.crash(leader);
            } else {
                c.isolate(leader);
            }
            for (int tick = 0; tick < 200 && (c.leader() == leader || c.leader() == RaftNode.NONE); tick++) {
                c.tickAll(1);
                watcher.check(c);
                afterTick.run();
            }
            assertThat(c.leader()).as("round %d: %s", round, c.describe()).isNotIn(leader, RaftNode.NONE);
            if (crash) {
                c.restart(leader);
            }
            c.heal();
            for (int tick = 0; tick < 3; tick++) {
                c.tickAll(1);
                watcher.check(c);
                afterTick.run();
            }
        }
    }

    /**
     * Remembers every committed entry (index and term) and every applied entry any node has
     * shown, and fails as soon as a node shows something else at one of those indexes.
     */
    private static final class CommitWatcher {
        private final Map<Long, Long> committedTerms = new HashMap<>();
        private final Map<Long, Entry> appliedEntries = new HashMap<>();

        void check(TestCluster c) {
            for (long id : FIVE) {
                if (!c.isUp(id)) {
                    continue;
                }
                RaftNode n = c.node(id);
                for (long i = 1; i <= n.commitIndex(); i++) {
                    long known = committedTerms.computeIfAbsent(i, n::termAt);
                    if (n.termAt(i) != known) {
                        fail("S%d has term %d at committed index %d, which was committed with term %d: %s", id,
                                n.termAt(i), i, known, c.describe());
                    }
                }
                for (Entry e : c.applied(id)) {
                    Entry known = appliedEntries.computeIfAbsent(e.index(), k -> e);
                    if (!known.equals(e)) {
                        fail("S%d applied %s at index %d where %s was applied", id, e, e.index(), known);
                    }
                }
            }
        }

        void assertHoldsEveryCommittedEntry(TestCluster c, long leader) {
            List<Long> missing = new ArrayList<>();
            committedTerms.forEach((index, term) -> {
                if (c.node(leader).termAt(index) != term) {
                    missing.add(index);
                }
            });
            assertThat(missing).as("committed indexes leader S%d lacks", leader).isEmpty();
        }
    }
}
