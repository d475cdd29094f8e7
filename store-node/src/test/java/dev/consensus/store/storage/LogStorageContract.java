package dev.consensus.store.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.consensus.store.raft.ConfChange;
import dev.consensus.store.raft.ConfChangeType;
import dev.consensus.store.raft.ConfState;
import dev.consensus.store.raft.Entry;
import dev.consensus.store.raft.EntryType;
import dev.consensus.store.raft.HardState;
import dev.consensus.store.raft.LogCompactedException;
import dev.consensus.store.raft.LogStorage;
import dev.consensus.store.raft.RaftNode;
import dev.consensus.store.raft.Snapshot;
import dev.consensus.store.raft.SnapshotMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What every {@link LogStorage} promises the Raft core, run against each implementation
 * ({@link MemoryStorageContractTest}, {@link WalStorageContractTest}) so that the simulator's
 * storage and the durable one are shown interchangeable.
 */
abstract class LogStorageContract {

    private static final ConfState MEMBERS = ConfState.ofVoters(1L, 2L, 3L);

    /** Storage for a member of a new cluster with these initial members. */
    abstract LogStorage bootstrap(ConfState members);

    /** Storage for a member that joins an existing cluster. */
    abstract LogStorage joining();

    private static Entry entry(long index, long term) {
        return Entry.normal(index, term, new byte[] {(byte) index, 0, 0, 0});
    }

    private LogStorage withTerms(long... terms) {
        LogStorage storage = joining();
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < terms.length; i++) {
            entries.add(entry(i + 1, terms[i]));
        }
        storage.append(entries);
        return storage;
    }

    @Test
    void a_bootstrapped_member_holds_the_initial_membership_as_committed_entries_at_term_one() {
        LogStorage storage = bootstrap(new ConfState(Set.of(1L, 2L, 3L), Set.of(4L)));

        assertThat(storage.lastIndex()).isEqualTo(4);
        List<Entry> entries = storage.entries(1, 5, Long.MAX_VALUE);
        assertThat(entries).allSatisfy(e -> {
            assertThat(e.type()).isEqualTo(EntryType.CONF_CHANGE);
            assertThat(e.term()).isEqualTo(1);
        });
        assertThat(entries).extracting(e -> ConfChange.decode(e.data())).containsExactly(
                new ConfChange(ConfChangeType.ADD_VOTER, 1), new ConfChange(ConfChangeType.ADD_VOTER, 2),
                new ConfChange(ConfChangeType.ADD_VOTER, 3), new ConfChange(ConfChangeType.ADD_LEARNER, 4));
        assertThat(storage.hardState()).isEqualTo(new HardState(1, RaftNode.NONE, 4));
    }

    @Test
    void a_joining_member_starts_with_nothing() {
        LogStorage storage = joining();

        assertThat(storage.lastIndex()).isZero();
        assertThat(storage.firstIndex()).isEqualTo(1);
        assertThat(storage.term(0)).isZero();
        assertThat(storage.hardState()).isEqualTo(HardState.EMPTY);
        assertThat(storage.snapshot().isEmpty()).isTrue();
        assertThat(storage.entries(1, 1, Long.MAX_VALUE)).isEmpty();
    }

    @Test
    void append_overwrites_the_suffix_from_its_first_index() {
        LogStorage storage = withTerms(1, 1, 1, 1);

        storage.append(List.of(entry(3, 2)));

        assertThat(storage.lastIndex()).isEqualTo(3);
        assertThat(storage.term(3)).isEqualTo(2);
        assertThat(storage.term(2)).isEqualTo(1);
    }

    @Test
    void append_that_would_leave_a_gap_is_refused() {
        LogStorage storage = withTerms(1, 1);

        assertThatThrownBy(() -> storage.append(List.of(entry(4, 1)))).isInstanceOf(IllegalArgumentException.class);
        assertThat(storage.lastIndex()).isEqualTo(2);
    }

    @Test
    void append_into_compacted_entries_is_refused() {
        LogStorage storage = withTerms(1, 1, 1);
        storage.createSnapshot(2, MEMBERS, new byte[0]);
        storage.compact(2);

        assertThatThrownBy(() -> storage.append(List.of(entry(2, 2)))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void an_empty_append_changes_nothing() {
        LogStorage storage = withTerms(1, 1);

        storage.append(List.of());

        assertThat(storage.lastIndex()).isEqualTo(2);
    }

    @Test
    void entries_respects_max_bytes_but_returns_at_least_one() {
        LogStorage storage = withTerms(1, 1, 1, 1);
        long each = entry(1, 1).sizeBytes();

        assertThat(storage.entries(1, 5, 2 * each)).extracting(Entry::index).containsExactly(1L, 2L);
        assertThat(storage.entries(2, 5, 0)).extracting(Entry::index).containsExactly(2L);
        assertThat(storage.entries(1, 5, Long.MAX_VALUE)).hasSize(4);
        assertThatThrownBy(() -> storage.entries(1, 6, Long.MAX_VALUE)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void term_past_the_last_index_is_refused() {
        LogStorage storage = withTerms(1, 2);

        assertThat(storage.term(2)).isEqualTo(2);
        assertThatThrownBy(() -> storage.term(3)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void create_snapshot_records_index_term_and_membership_but_keeps_the_entries() {
        LogStorage storage = withTerms(1, 2, 2, 3);

        storage.createSnapshot(3, MEMBERS, new byte[] {9});

        assertThat(storage.snapshot().metadata()).isEqualTo(new SnapshotMetadata(3, 2, MEMBERS));
        assertThat(storage.snapshot().data()).containsExactly(9);
        assertThat(storage.firstIndex()).as("until compact, slow members can still catch up").isEqualTo(1);
    }

    @Test
    void create_snapshot_no_newer_than_the_held_one_is_ignored_and_past_the_log_is_refused() {
        LogStorage storage = withTerms(1, 1, 1, 1);
        storage.createSnapshot(3, MEMBERS, new byte[] {1});

        storage.createSnapshot(2, MEMBERS, new byte[] {2});

        assertThat(storage.snapshot().index()).isEqualTo(3);
        assertThat(storage.snapshot().data()).containsExactly(1);
        assertThatThrownBy(() -> storage.createSnapshot(5, MEMBERS, new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void compact_drops_entries_up_to_the_index_but_keeps_its_term() {
        LogStorage storage = withTerms(1, 2, 2, 3, 3);
        storage.createSnapshot(4, MEMBERS, new byte[0]);

        storage.compact(3);

        assertThat(storage.firstIndex()).isEqualTo(4);
        assertThat(storage.lastIndex()).isEqualTo(5);
        assertThat(storage.term(3)).isEqualTo(2);
        assertThatThrownBy(() -> storage.term(2)).isInstanceOf(LogCompactedException.class);
        assertThatThrownBy(() -> storage.entries(3, 5, Long.MAX_VALUE)).isInstanceOf(LogCompactedException.class);
        assertThat(storage.entries(4, 6, Long.MAX_VALUE)).extracting(Entry::index).containsExactly(4L, 5L);
    }

    @Test
    void compact_past_the_snapshot_is_refused_and_compacting_again_is_harmless() {
        LogStorage storage = withTerms(1, 1, 1, 1);
        storage.createSnapshot(2, MEMBERS, new byte[0]);

        assertThatThrownBy(() -> storage.compact(3)).isInstanceOf(IllegalArgumentException.class);
        storage.compact(2);
        storage.compact(1);
        assertThat(storage.firstIndex()).isEqualTo(3);
    }

    @Test
    void compacting_the_whole_log_leaves_an_empty_log_after_the_snapshot() {
        LogStorage storage = withTerms(1, 1, 2);
        storage.createSnapshot(3, MEMBERS, new byte[0]);

        storage.compact(3);

        assertThat(storage.firstIndex()).isEqualTo(4);
        assertThat(storage.lastIndex()).isEqualTo(3);
        assertThat(storage.term(3)).isEqualTo(2);
        storage.append(List.of(entry(4, 2)));
        assertThat(storage.lastIndex()).isEqualTo(4);
    }

    @Test
    void apply_snapshot_replaces_the_whole_log() {
        LogStorage storage = withTerms(1, 1, 1);
        Snapshot incoming = new Snapshot(new SnapshotMetadata(10, 4, MEMBERS), new byte[] {7});

        storage.applySnapshot(incoming);

        assertThat(storage.snapshot().metadata()).isEqualTo(incoming.metadata());
        assertThat(storage.snapshot().data()).containsExactly(7);
        assertThat(storage.firstIndex()).isEqualTo(11);
        assertThat(storage.lastIndex()).isEqualTo(10);
        assertThat(storage.term(10)).isEqualTo(4);
        assertThatThrownBy(() -> storage.term(3)).isInstanceOf(LogCompactedException.class);
        storage.append(List.of(entry(11, 4)));
        assertThat(storage.lastIndex()).isEqualTo(11);
    }

    @Test
    void apply_snapshot_older_than_the_held_one_is_refused() {
        LogStorage storage = withTerms(1, 1, 1);
        storage.createSnapshot(3, MEMBERS, new byte[0]);
        Snapshot older = new Snapshot(new SnapshotMetadata(2, 1, MEMBERS), new byte[0]);

        assertThatThrownBy(() -> storage.applySnapshot(older)).isInstanceOf(IllegalArgumentException.class);
        assertThat(storage.snapshot().index()).isEqualTo(3);
    }

    @Test
    void a_storage_that_installed_a_snapshot_begins_after_it() {
        LogStorage storage = joining();
        storage.applySnapshot(new Snapshot(new SnapshotMetadata(5, 2, MEMBERS), new byte[0]));

        assertThat(storage.firstIndex()).isEqualTo(6);
        assertThat(storage.lastIndex()).isEqualTo(5);
        assertThat(storage.term(5)).isEqualTo(2);
        assertThatThrownBy(() -> storage.term(6)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hard_state_is_kept_as_set() {
        LogStorage storage = joining();
        HardState hs = new HardState(3, 2, 7);

        storage.setHardState(hs);

        assertThat(storage.hardState()).isEqualTo(hs);
    }
}
