package dev.consensus.store.raft.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * The leader's view of one member: matchIndex and nextIndex of the Raft paper section 5.3, with
 * probing after a rejection, pipelining once the logs match (thesis 10.2.2) and a snapshot in
 * flight for a member the log no longer reaches (section 7).
 */
class ProgressTest {

    private static Progress probing(long next) {
        return new Progress(next, false, new Inflights(2, 1_000));
    }

    private static Progress replicating(long match) {
        Progress p = probing(match + 1);
        p.maybeUpdate(match);
        p.becomeReplicate();
        return p;
    }

    @Test
    void a_new_progress_probes_from_the_given_next_index_with_nothing_matched() {
        Progress p = probing(7);

        assertThat(p.state()).isEqualTo(ProgressState.PROBE);
        assertThat(p.match()).isZero();
        assertThat(p.next()).isEqualTo(7);
        assertThat(p.isPaused()).isFalse();
    }

    @Test
    void a_probe_sends_one_append_and_then_waits_for_the_answer() {
        Progress p = probing(5);

        p.sentEntries(6, 2, 100);

        assertThat(p.isPaused()).isTrue();
        assertThat(p.next()).as("a probe does not advance next optimistically").isEqualTo(5);
        assertThat(p.inflights().count()).isZero();
    }

    @Test
    void an_acknowledgement_moves_match_and_next_and_unpauses_a_probe() {
        Progress p = probing(5);
        p.sentEntries(6, 2, 100);

        assertThat(p.maybeUpdate(6)).isTrue();

        assertThat(p.match()).isEqualTo(6);
        assertThat(p.next()).isEqualTo(7);
        assertThat(p.isPaused()).isFalse();
    }

    @Test
    void a_stale_acknowledgement_does_not_move_match_back() {
        Progress p = replicating(8);

        assertThat(p.maybeUpdate(5)).isFalse();

        assertThat(p.match()).isEqualTo(8);
        assertThat(p.next()).isEqualTo(9);
    }

    @Test
    void replicate_pipelines_appends_until_the_window_is_full() {
        Progress p = replicating(4);
        assertThat(p.next()).isEqualTo(5);

        p.sentEntries(6, 2, 100);
        assertThat(p.next()).isEqualTo(7);
        assertThat(p.isPaused()).isFalse();

        p.sentEntries(8, 2, 100);
        assertThat(p.next()).isEqualTo(9);
        assertThat(p.inflights().count()).isEqualTo(2);
        assertThat(p.isPaused()).as("window of two appends is full").isTrue();
    }

    @Test
    void an_empty_append_in_replicate_takes_no_slot_of_the_window() {
        Progress p = replicating(4);

        p.sentEntries(4, 0, 0);

        assertThat(p.inflights().count()).isZero();
        assertThat(p.next()).isEqualTo(5);
    }

    @Test
    void a_rejection_in_replicate_falls_back_to_just_after_match() {
        Progress p = replicating(4);
        p.sentEntries(6, 2, 100);
        p.sentEntries(8, 2, 100);

        assertThat(p.maybeDecreaseTo(6, 5)).isTrue();

        assertThat(p.next()).isEqualTo(5);
    }

    @Test
    void a_stale_rejection_in_replicate_is_ignored() {
        Progress p = replicating(6);
        p.sentEntries(8, 2, 100);

        // A rejection of an append at or below match was overtaken by a later success.
        assertThat(p.maybeDecreaseTo(6, 2)).isFalse();
        assertThat(p.maybeDecreaseTo(3, 1)).isFalse();

        assertThat(p.next()).isEqualTo(9);
    }

    @Test
    void a_rejection_in_probe_moves_next_back_to_the_hint() {
        Progress p = probing(10);
        p.sentEntries(10, 1, 50);

        assertThat(p.maybeDecreaseTo(9, 4)).isTrue();

        assertThat(p.next()).isEqualTo(5);
        assertThat(p.isPaused()).as("a new probe may go at once").isFalse();
    }

    @Test
    void a_rejection_in_probe_never_moves_next_to_or_below_match() {
        Progress p = probing(8);
        p.maybeUpdate(3);
        assertThat(p.next()).isEqualTo(8);

        // The member hints that nothing matches, but index 3 was already acknowledged.
        assertThat(p.maybeDecreaseTo(7, 0)).isTrue();

        assertThat(p.next()).isEqualTo(4);
    }

    @Test
    void a_rejection_in_probe_for_an_append_that_is_not_the_latest_is_ignored() {
        Progress p = probing(10);
        p.sentEntries(10, 1, 50);

        assertThat(p.maybeDecreaseTo(7, 2)).isFalse();

        assertThat(p.next()).isEqualTo(10);
        assertThat(p.isPaused()).isTrue();
    }

    @Test
    void a_rejection_in_probe_does_not_move_next_forward_past_the_rejected_index() {
        Progress p = probing(10);

        // The member's hint lies beyond the rejected index: next stays at the rejected index.
        assertThat(p.maybeDecreaseTo(9, 20)).isTrue();

        assertThat(p.next()).isEqualTo(9);
    }

    @Test
    void become_replicate_starts_just_after_match_with_an_empty_window() {
        Progress p = probing(10);
        p.maybeUpdate(6);

        p.becomeReplicate();

        assertThat(p.state()).isEqualTo(ProgressState.REPLICATE);
        assertThat(p.next()).isEqualTo(7);
        assertThat(p.inflights().count()).isZero();
    }

    @Test
    void become_probe_from_replicate_clears_the_window_and_restarts_after_match() {
        Progress p = replicating(4);
        p.sentEntries(6, 2, 100);

        p.becomeProbe();

        assertThat(p.state()).isEqualTo(ProgressState.PROBE);
        assertThat(p.next()).isEqualTo(5);
        assertThat(p.inflights().count()).isZero();
    }

    @Test
    void a_member_receiving_a_snapshot_is_paused_and_gets_no_entries() {
        Progress p = probing(3);

        p.becomeSnapshot(20);

        assertThat(p.state()).isEqualTo(ProgressState.SNAPSHOT);
        assertThat(p.pendingSnapshot()).isEqualTo(20);
        assertThat(p.isPaused()).isTrue();
        assertThatThrownBy(() -> p.sentEntries(21, 1, 10)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void a_delivered_snapshot_probes_after_the_snapshot_once_the_member_answers() {
        Progress p = probing(3);
        p.maybeUpdate(2);
        p.becomeSnapshot(20);

        p.snapshotDone(true);

        assertThat(p.state()).isEqualTo(ProgressState.PROBE);
        assertThat(p.next()).isEqualTo(21);
        assertThat(p.isPaused()).as("waits for the member's answer first").isTrue();
        p.heardFrom();
        assertThat(p.isPaused()).isFalse();
    }

    @Test
    void a_failed_snapshot_probes_again_from_just_after_match() {
        Progress p = probing(3);
        p.maybeUpdate(2);
        p.becomeSnapshot(20);

        p.snapshotDone(false);

        assertThat(p.state()).isEqualTo(ProgressState.PROBE);
        assertThat(p.pendingSnapshot()).isZero();
        assertThat(p.next()).isEqualTo(3);
        assertThat(p.isPaused()).isTrue();
    }

    @Test
    void hearing_from_a_member_frees_one_slot_of_a_full_window() {
        Progress p = replicating(4);
        p.sentEntries(6, 2, 100);
        p.sentEntries(8, 2, 100);
        assertThat(p.isPaused()).isTrue();

        p.heardFrom();

        assertThat(p.inflights().count()).isEqualTo(1);
        assertThat(p.isPaused()).isFalse();
        assertThat(p.next()).as("what was sent is not resent").isEqualTo(9);
    }

    @Test
    void hearing_from_a_member_leaves_a_window_that_is_not_full_alone() {
        Progress p = replicating(4);
        p.sentEntries(6, 2, 100);

        p.heardFrom();

        assertThat(p.inflights().count()).isEqualTo(1);
    }

    @Test
    void hearing_from_a_probed_member_allows_the_probe_to_be_retried() {
        Progress p = probing(5);
        p.sentEntries(5, 1, 10);
        assertThat(p.isPaused()).isTrue();

        p.heardFrom();

        assertThat(p.isPaused()).isFalse();
    }

    @Test
    void recent_activity_is_a_flag_the_leader_sets_and_clears() {
        Progress p = probing(1);
        assertThat(p.recentActive()).isFalse();

        p.setRecentActive(true);

        assertThat(p.recentActive()).isTrue();
    }
}
