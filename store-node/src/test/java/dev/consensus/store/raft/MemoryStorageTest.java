package dev.consensus.store.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * What only the in-memory storage has: starting from a given snapshot. The rest of its behaviour
 * is the {@link LogStorage} contract, checked for it and for the write-ahead log alike by
 * storage.MemoryStorageContractTest and storage.WalStorageContractTest.
 */
class MemoryStorageTest {

    @Test
    void a_storage_started_from_a_snapshot_begins_after_it() {
        ConfState members = ConfState.ofVoters(1L, 2L, 3L);
        MemoryStorage storage = new MemoryStorage(new Snapshot(new SnapshotMetadata(5, 2, members), new byte[0]));

        assertThat(storage.firstIndex()).isEqualTo(6);
        assertThat(storage.lastIndex()).isEqualTo(5);
        assertThat(storage.term(5)).isEqualTo(2);
        assertThatThrownBy(() -> storage.term(6)).isInstanceOf(IllegalArgumentException.class);
    }
}
