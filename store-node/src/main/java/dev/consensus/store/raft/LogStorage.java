package dev.consensus.store.raft;

import java.util.List;

/**
 * The persisted Raft log as the server loop writes it from each {@link Ready}. Every method
 * returns only once its change is as durable as the implementation promises (the WAL: fsynced).
 */
public interface LogStorage extends LogReader {

    /**
     * Appends entries whose first index is at most {@code lastIndex() + 1}; entries from that
     * index on are replaced, since a leader may overwrite an uncommitted suffix.
     */
    void append(List<Entry> entries);

    void setHardState(HardState hardState);

    /** Replaces the whole log with a snapshot received from the leader. */
    void applySnapshot(Snapshot snapshot);

    /**
     * Records a snapshot the state machine took at {@code index}, which it has applied. The
     * entries it covers stay until {@link #compact}, so slow members can still catch up from them.
     */
    void createSnapshot(long index, ConfState confState, byte[] data);

    /** Drops the entries up to and including {@code index}, which the snapshot must cover. */
    void compact(long index);
}
