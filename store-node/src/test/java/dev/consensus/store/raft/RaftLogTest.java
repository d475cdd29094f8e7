package dev.consensus.store.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The log as the core sees it: the follower's half of AppendEntries and the Log Matching
 * property (Raft paper section 5.3), the commit rules (5.4), the fast back-off hint (5.3, "the
 * follower can include the term of the conflicting entry"), compaction (section 7), and the
 * unstable tail that becomes stable once the server persists it.
 */
class RaftLogTest {

    private static final ConfState MEMBERS = ConfState.ofVoters(1L, 2L, 3L);

    private static Entry entry(long index, long term) {
        return Entry.normal(index, term, new byte[] {(byte) index});
    }

    private static Entry sized(long index, long term, int dataBytes) {
        return Entry.normal(index, term, new byte[dataBytes]);
    }

    /** Entries 1.. with the given terms. */
    private static List<Entry> withTerms(long... terms) {
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < terms.length; i++) {
            out.add(entry(i + 1, terms[i]));
        }
        return out;
    }

    private static MemoryStorage storageWith(List<Entry> entries) {
        MemoryStorage storage = new MemoryStorage(Snapshot.EMPTY);
        storage.append(entries);
        return storage;
    }

    private static Snapshot snapshot(long index, long term) {
        return new Snapshot(new SnapshotMetadata(index, term, MEMBERS), new byte[] {42});
    }

    @Test
    void appended_entries_extend_the_log_in_memory() {
        RaftLog log = new RaftLog(storageWith(withTerms(1, 1)));

        long last = log.append(List.of(entry(3, 2), entry(4, 2)));

        assertThat(last).isEqualTo(4);
        assertThat(log.lastIndex()).isEqualTo(4);
        assertThat(log.lastTerm()).isEqualTo(2);
        assertThat(log.term(2)).isEqualTo(1);
        assertThat(log.term(9)).as("past the end").isZero();
        assertThat(log.unstableEntries()).containsExactly(entry(3, 2), entry(4, 2));
    }

    @Test
    void append_replaces_the_conflicting_suffix() {
        RaftLog log = new RaftLog(storageWith(withTerms(1, 1)));
        log.append(List.of(entry(3, 1), entry(4, 1), entry(5, 1)));

        log.append(List.of(entry(4, 3)));

        assertThat(log.lastIndex()).isEqualTo(4);
        assertThat(log.term(4)).isEqualTo(3);
        assertThat(log.term(5)).isZero();
    }

    @Test
    void append_below_the_commit_index_is_refused() {
        RaftLog log = new RaftLog(storageWith(withTerms(1, 1, 1)));
        log.commitTo(2);

        assertThatThrownBy(() -> log.append(List.of(entry(2, 2)))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void maybe_append_refuses_entries_whose_previous_position_does_not_match() {
        RaftLog log = new RaftLog(storageWith(withTerms(1, 1, 2)));

        assertThat(log.maybeAppend(new RaftLog.Position(3, 3), 3, List.of(entry(4, 3)))).isEqualTo(-1);
        assertThat(log.maybeAppend(new RaftLog.Position(5, 2), 3, List.of(entry(6, 3)))).isEqualTo(-1);
        assertThat(log.lastIndex()).isEqualTo(3);
        assertThat(log.committed()).isZero();
    }

    @Test
    void maybe_append_truncates_a_conflicting_suffix_and_follows_the_leader_commit() {
        RaftLog log = new RaftLog(storageWith(withTerms(1, 1, 2, 2)));

        long lastNew = log.maybeAppend(new RaftLog.Position(2, 1), 10, List.of(entry(3, 3)));

        assertThat(lastNew).isEqualTo(3);
        assertThat(log.lastIndex()).isEqualTo(3);
        assertThat(log.term(3)).isEqualTo(3);
        assertThat(log.committed()).as("capped at the last new entry").isEqualTo(3);
    }

    @Test
    void maybe_append_of_entries_already_held_keeps_the_entries_after_them() {
        RaftLog log = new RaftLog(storageWith(withTerms(1, 1, 2, 2, 2)));

        // A delayed, shorter append must not cut off entries this follower already acknowledged.
        long lastNew = log.maybeAppend(new RaftLog.Position(1, 1), 2, List.of(entry(2, 1), entry(3, 2)));

        assertThat(lastNew).isEqualTo(3);
        assertThat(log.lastIndex()).isEqualTo(5);
        assertThat(log.committed()).isEqualTo(2);
    }

    @Test
    void maybe_append_refuses_to_overwrite_committed_entries() {
        RaftLog log = new RaftLog(storageWith(withTerms(1, 1, 1)));
        log.commitTo(3);

        assertThatThrownBy(() -> log.maybeAppend(new RaftLog.Position(1, 1), 3, List.of(entry(2, 2), entry(3, 2))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("committed");
        assertThat(log.term(2)).isEqualTo(1);
    }

    @Test
    void find_conflict_by_term_returns_the_last_entry_with_a_term_not_above_the_given_one() {
        RaftLog log = new RaftLog(storageWith(withTerms(1, 1, 2, 2, 3)));

        assertThat(log.findConflictByTerm(5, 3)).isEqualTo(new RaftLog.Position(5, 3));
        assertThat(log.findConflictByTerm(5, 2)).isEqualTo(new RaftLog.Position(4, 2));
        assertThat(log.findConflictByTerm(5, 1)).isEqualTo(new RaftLog.Position(2, 1));
        assertThat(log.findConflictByTerm(3, 1)).isEqualTo(new RaftLog.Position(2, 1));
        assertThat(log.findConflictByTerm(5, 0)).isEqualTo(new RaftLog.Position(0, 0));
        assertThat(log.findConflictByTerm(9, 2)).as("clamped to the log's end").isEqualTo(new RaftLog.Position(4, 2));
    }

    @Test
    void slice_stops_before_exceeding_max_bytes_across_storage_and_memory() {
        MemoryStorage storage = storageWith(List.of(sized(1, 1, 10), sized(2, 1, 10), sized(3, 1, 10)));
        RaftLog log = new RaftLog(storage);
        log.append(List.of(sized(4, 1, 10), sized(5, 1, 10), sized(6, 1, 10)));
        long each = sized(1, 1, 10).sizeBytes();

        assertThat(log.slice(1, 7, 2 * each)).extracting(Entry::index).containsExactly(1L, 2L);
        assertThat(log.slice(3, 7, 2 * each)).extracting(Entry::index).containsExactly(3L, 4L);
        assertThat(log.slice(4, 7, 2 * each + 1)).extracting(Entry::index).containsExactly(4L, 5L);
        assertThat(log.slice(1, 7, Long.MAX_VALUE)).hasSize(6);
    }

    @Test
    void slice_returns_at_least_one_entry_however_small_max_bytes_is() {
        RaftLog log = new RaftLog(storageWith(List.of(sized(1, 1, 100), sized(2, 1, 100))));
        log.append(List.of(sized(3, 1, 100)));

        assertThat(log.slice(1, 4, 1)).extracting(Entry::index).containsExactly(1L);
        assertThat(log.slice(3, 4, 1)).extracting(Entry::index).containsExactly(3L);
        assertThat(log.slice(2, 2, 1)).as("an empty range is empty").isEmpty();
    }

    @Test
    void compacted_entries_are_unavailable_but_the_snapshot_position_keeps_its_term() {
        MemoryStorage storage = storageWith(withTerms(1, 1, 2, 2, 3, 3));
        storage.createSnapshot(4, MEMBERS, new byte[0]);
        storage.compact(4);
        RaftLog log = new RaftLog(storage);

        assertThat(log.firstIndex()).isEqualTo(5);
        assertThat(log.term(4)).isEqualTo(2);
        assertThatThrownBy(() -> log.term(3)).isInstanceOf(LogCompactedException.class);
        assertThatThrownBy(() -> log.slice(2, 6, Long.MAX_VALUE)).isInstanceOf(LogCompactedException.class);
        assertThat(log.termOrZero(3)).isZero();
        assertThat(log.slice(5, 7, Long.MAX_VALUE)).extracting(Entry::index).containsExactly(5L, 6L);
    }

    @Test
    void unstable_entries_become_stable_once_persisted() {
        MemoryStorage storage = new MemoryStorage(Snapshot.EMPTY);
        RaftLog log = new RaftLog(storage);
        log.append(withTerms(1, 1, 1));
        assertThat(log.hasUnstableEntries()).isTrue();
        assertThat(log.persistedLastIndex()).isZero();

        storage.append(log.unstableEntries().subList(0, 2));
        log.stableTo(2, 1);

        assertThat(log.unstableEntries()).containsExactly(entry(3, 1));
        assertThat(log.persistedLastIndex()).isEqualTo(2);
        storage.append(log.unstableEntries());
        log.stableTo(3, 1);
        assertThat(log.hasUnstableEntries()).isFalse();
        assertThat(log.persistedLastIndex()).isEqualTo(3);
        assertThat(log.term(3)).isEqualTo(1);
    }

    @Test
    void a_stable_report_for_an_entry_replaced_meanwhile_is_ignored() {
        MemoryStorage storage = storageWith(withTerms(1));
        RaftLog log = new RaftLog(storage);
        log.append(List.of(entry(2, 1)));
        List<Entry> written = log.unstableEntries();
        log.append(List.of(entry(2, 2)));

        storage.append(written);
        log.stableTo(2, 1);

        assertThat(log.unstableEntries()).as("the newer entry still awaits its write").containsExactly(entry(2, 2));
        assertThat(log.persistedLastIndex()).isEqualTo(1);
    }

    @Test
    void overwriting_persisted_entries_lowers_the_persisted_last_index() {
        RaftLog log = new RaftLog(storageWith(withTerms(1, 1, 1)));

        log.append(List.of(entry(2, 2)));

        assertThat(log.lastIndex()).isEqualTo(2);
        assertThat(log.term(2)).isEqualTo(2);
        assertThat(log.persistedLastIndex()).isEqualTo(1);
    }

    @Test
    void commit_index_never_falls_and_never_passes_the_last_index() {
        RaftLog log = new RaftLog(storageWith(withTerms(1, 1, 1)));
        log.commitTo(2);

        log.commitTo(1);

        assertThat(log.committed()).isEqualTo(2);
        assertThatThrownBy(() -> log.commitTo(4)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void a_leader_commits_by_counting_replicas_only_entries_of_its_own_term() {
        RaftLog log = new RaftLog(storageWith(withTerms(1, 1, 2, 3)));

        assertThat(log.maybeCommit(3, 3)).as("entry 3 is from an earlier term").isFalse();
        assertThat(log.committed()).isZero();
        assertThat(log.maybeCommit(4, 3)).isTrue();
        assertThat(log.committed()).isEqualTo(4);
    }

    @Test
    void up_to_date_compares_last_term_first_then_length() {
        RaftLog log = new RaftLog(storageWith(withTerms(1, 2, 2)));

        assertThat(log.isUpToDate(3, 2)).isTrue();
        assertThat(log.isUpToDate(9, 2)).isTrue();
        assertThat(log.isUpToDate(1, 3)).isTrue();
        assertThat(log.isUpToDate(2, 2)).isFalse();
        assertThat(log.isUpToDate(9, 1)).isFalse();
    }

    @Test
    void committed_entries_are_released_once_and_applied_stays_within_committed() {
        RaftLog log = new RaftLog(storageWith(withTerms(1, 1, 1)));
        log.commitTo(2);

        assertThat(log.committedToRelease(Long.MAX_VALUE)).extracting(Entry::index).containsExactly(1L, 2L);
        log.appliedTo(2);
        assertThat(log.hasCommittedToRelease()).isFalse();
        assertThatThrownBy(() -> log.appliedTo(3)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> log.appliedTo(1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void restoring_a_snapshot_replaces_the_log_and_commits_up_to_it() {
        MemoryStorage storage = storageWith(withTerms(1, 1, 1));
        RaftLog log = new RaftLog(storage);
        Snapshot snap = snapshot(10, 3);

        log.restore(snap);

        assertThat(log.committed()).isEqualTo(10);
        assertThat(log.lastIndex()).isEqualTo(10);
        assertThat(log.firstIndex()).isEqualTo(11);
        assertThat(log.term(10)).isEqualTo(3);
        assertThat(log.config()).isEqualTo(MEMBERS);
        assertThat(log.pendingSnapshot()).isEqualTo(snap);
        assertThat(log.persistedLastIndex()).as("nothing of the new log is on disk yet").isZero();
        assertThat(log.hasCommittedToRelease()).as("the snapshot is installed, not replayed").isFalse();
        assertThatThrownBy(() -> log.term(5)).isInstanceOf(LogCompactedException.class);
    }

    @Test
    void a_persisted_snapshot_leaves_the_unstable_tail_and_is_read_from_storage() {
        MemoryStorage storage = storageWith(withTerms(1, 1, 1));
        RaftLog log = new RaftLog(storage);
        Snapshot snap = snapshot(10, 3);
        log.restore(snap);
        log.append(List.of(entry(11, 3)));

        storage.applySnapshot(snap);
        log.stableSnapshotTo(10);
        log.snapshotInstalled(10);

        assertThat(log.hasPendingSnapshot()).isFalse();
        assertThat(log.applied()).isEqualTo(10);
        assertThat(log.firstIndex()).isEqualTo(11);
        assertThat(log.term(10)).isEqualTo(3);
        assertThat(log.lastIndex()).isEqualTo(11);
    }

    @Test
    void a_log_started_from_a_snapshot_commits_and_applies_up_to_it_and_replays_membership_after_it() {
        MemoryStorage storage = new MemoryStorage(snapshot(5, 2));
        storage.append(List.of(entry(6, 2), Entry.confChange(7, 2, new ConfChange(ConfChangeType.ADD_LEARNER, 4))));

        RaftLog log = new RaftLog(storage);

        assertThat(log.committed()).isEqualTo(5);
        assertThat(log.applied()).isEqualTo(5);
        assertThat(log.firstIndex()).isEqualTo(6);
        assertThat(log.lastIndex()).isEqualTo(7);
        assertThat(log.config().voters()).containsExactly(1L, 2L, 3L);
        assertThat(log.config().learners()).containsExactly(4L);
    }

    @Test
    void a_persisted_commit_past_the_persisted_log_is_reported_as_damage() {
        MemoryStorage storage = storageWith(withTerms(1, 1));
        storage.setHardState(new HardState(1, RaftNode.NONE, 5));

        assertThatThrownBy(() -> new RaftLog(storage)).isInstanceOf(IllegalStateException.class);
    }
}
