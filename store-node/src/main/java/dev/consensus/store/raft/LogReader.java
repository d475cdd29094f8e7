package dev.consensus.store.raft;

import java.util.List;

/**
 * What the core reads of what has been persisted. Everything returned must already be durable:
 * the core treats it as the node's memory across a crash. Implementations: the in-memory one the
 * simulator uses and the write-ahead log, so the two are interchangeable.
 */
public interface LogReader {

    /** The persisted term, vote and commit index. */
    HardState hardState();

    /**
     * The latest snapshot ({@link Snapshot#EMPTY} when none was taken); its metadata gives the
     * membership the node restarts with, before replaying the log after it. A new cluster's
     * members start with {@link ClusterBootstrap}'s entries instead.
     */
    Snapshot snapshot();

    /**
     * The first index whose entry is held: one past the last {@link LogStorage#compact}ed index,
     * which is at most the snapshot's index (a snapshot keeps the entries it covers until they
     * are compacted, so slow members can still catch up from them).
     */
    long firstIndex();

    /** The last index held, or {@code firstIndex() - 1} when no entry is held. */
    long lastIndex();

    /**
     * The term of the entry at {@code index}, for {@code firstIndex() - 1 <= index <= lastIndex()}.
     *
     * @throws LogCompactedException when {@code index} is below {@code firstIndex() - 1}
     */
    long term(long index);

    /**
     * Entries in {@code [lo, hi)}, stopping before {@code maxBytes} is passed but always at least
     * one entry when the range is not empty.
     *
     * @throws LogCompactedException when {@code lo < firstIndex()}
     */
    List<Entry> entries(long lo, long hi, long maxBytes);
}
