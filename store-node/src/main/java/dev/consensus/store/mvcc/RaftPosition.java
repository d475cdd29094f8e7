package dev.consensus.store.mvcc;

/**
 * Where in the Raft log a change comes from. Every write to the store carries one, and the store
 * records it in the same atomic RocksDB write as the change, so after a restart the applied index
 * says exactly which entries the data reflects.
 *
 * @param index the Raft log index of the entry being applied, at least 1
 * @param term  the term of that entry, at least 1
 */
public record RaftPosition(long index, long term) {

    public RaftPosition {
        if (index < 1) {
            throw new IllegalArgumentException("raft index must be >= 1, got " + index);
        }
        if (term < 1) {
            throw new IllegalArgumentException("raft term must be >= 1, got " + term);
        }
    }

    @Override
    public String toString() {
        return index + "/" + term;
    }
}
