package dev.consensus.store.storage;

import dev.consensus.store.raft.ConfState;
import dev.consensus.store.raft.LogStorage;
import dev.consensus.store.raft.MemoryStorage;

/** The {@link LogStorageContract} for the simulator's in-memory storage. */
class MemoryStorageContractTest extends LogStorageContract {

    @Override
    LogStorage bootstrap(ConfState members) {
        return MemoryStorage.bootstrap(members);
    }

    @Override
    LogStorage joining() {
        return MemoryStorage.joining();
    }
}
