package dev.consensus.store.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The membership in force on a node is the latest one in its log, committed or not (thesis
 * 4.1): it moves when a membership entry is appended and moves back when that entry is
 * overwritten, and a change that does not fit is skipped identically on every node.
 */
class ConfigHistoryTest {

    private static final ConfState BASE = ConfState.ofVoters(1L, 2L, 3L);

    private static Entry change(long index, ConfChangeType type, long member) {
        return Entry.confChange(index, 1, new ConfChange(type, member));
    }

    private static Entry normal(long index, long term) {
        return Entry.normal(index, term, new byte[] {1});
    }

    private static ConfigHistory fromBase() {
        return new ConfigHistory(BASE, 3);
    }

    @Test
    void without_changes_the_base_membership_is_in_force() {
        ConfigHistory h = fromBase();
        h.appended(List.of(normal(4, 1), normal(5, 1)));

        assertThat(h.current()).isEqualTo(BASE);
        assertThat(h.currentSince()).isEqualTo(3);
        assertThat(h.version()).isZero();
    }

    @Test
    void the_latest_change_in_the_log_wins() {
        ConfigHistory h = fromBase();

        h.appended(List.of(change(4, ConfChangeType.ADD_LEARNER, 4), normal(5, 1),
                change(6, ConfChangeType.PROMOTE_LEARNER, 4)));

        assertThat(h.current()).isEqualTo(ConfState.ofVoters(1L, 2L, 3L, 4L));
        assertThat(h.currentSince()).isEqualTo(6);
        assertThat(h.version()).isEqualTo(2);
    }

    @Test
    void as_of_gives_the_membership_made_by_the_last_change_at_or_below_the_index() {
        ConfigHistory h = fromBase();
        h.appended(List.of(change(4, ConfChangeType.ADD_LEARNER, 4), normal(5, 1),
                change(6, ConfChangeType.PROMOTE_LEARNER, 4)));

        assertThat(h.asOf(3)).isEqualTo(BASE);
        assertThat(h.asOf(4)).isEqualTo(new ConfState(Set.of(1L, 2L, 3L), Set.of(4L)));
        assertThat(h.asOf(5)).isEqualTo(new ConfState(Set.of(1L, 2L, 3L), Set.of(4L)));
        assertThat(h.asOf(6)).isEqualTo(ConfState.ofVoters(1L, 2L, 3L, 4L));
        assertThat(h.asOf(100)).isEqualTo(h.current());
    }

    @Test
    void overwriting_a_change_reverts_to_the_membership_before_it() {
        ConfigHistory h = fromBase();
        h.appended(List.of(change(4, ConfChangeType.ADD_LEARNER, 4), change(5, ConfChangeType.REMOVE_MEMBER, 3)));
        long before = h.version();

        // A new leader's entry at index 5 replaces the removal.
        h.appended(List.of(normal(5, 2)));

        assertThat(h.current()).isEqualTo(new ConfState(Set.of(1L, 2L, 3L), Set.of(4L)));
        assertThat(h.currentSince()).isEqualTo(4);
        assertThat(h.version()).isGreaterThan(before);
    }

    @Test
    void overwriting_every_change_reverts_to_the_base() {
        ConfigHistory h = fromBase();
        h.appended(List.of(change(4, ConfChangeType.ADD_VOTER, 5)));

        h.appended(List.of(normal(4, 2), change(5, ConfChangeType.ADD_LEARNER, 6)));

        assertThat(h.current()).isEqualTo(new ConfState(Set.of(1L, 2L, 3L), Set.of(6L)));
        assertThat(h.asOf(4)).isEqualTo(BASE);
    }

    @Test
    void appending_after_the_changes_keeps_them() {
        ConfigHistory h = fromBase();
        h.appended(List.of(change(4, ConfChangeType.ADD_LEARNER, 4)));
        long before = h.version();

        h.appended(List.of(normal(5, 1)));

        assertThat(h.current().learners()).containsExactly(4L);
        assertThat(h.version()).isEqualTo(before);
    }

    @Test
    void a_change_that_does_not_fit_is_skipped() {
        ConfigHistory h = fromBase();

        h.appended(List.of(change(4, ConfChangeType.PROMOTE_LEARNER, 9), change(5, ConfChangeType.REMOVE_MEMBER, 8)));

        assertThat(h.current()).isEqualTo(BASE);
        assertThat(h.version()).isZero();
    }

    @Test
    void a_malformed_change_entry_is_skipped() {
        ConfigHistory h = fromBase();

        h.appended(List.of(new Entry(4, 1, EntryType.CONF_CHANGE, new byte[] {1, 2, 3}),
                change(5, ConfChangeType.ADD_LEARNER, 4)));

        assertThat(h.current()).isEqualTo(new ConfState(Set.of(1L, 2L, 3L), Set.of(4L)));
        assertThat(h.currentSince()).isEqualTo(5);
    }

    @Test
    void restoring_a_snapshot_makes_its_membership_the_new_base() {
        ConfigHistory h = fromBase();
        h.appended(List.of(change(4, ConfChangeType.ADD_LEARNER, 4)));
        ConfState snapshotConf = ConfState.ofVoters(1L, 2L);
        long before = h.version();

        h.restore(snapshotConf, 20);

        assertThat(h.current()).isEqualTo(snapshotConf);
        assertThat(h.currentSince()).isEqualTo(20);
        assertThat(h.asOf(4)).isEqualTo(snapshotConf);
        assertThat(h.version()).isGreaterThan(before);
    }
}
