package dev.consensus.store.raft;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link LogStorage} held in memory: what the simulator treats as a node's disk, and what
 * tests use. Not thread-safe; one owner at a time.
 *
 * <p>Invariant: {@code entries} holds exactly the indexes {@code compactedIndex+1 ..
 * lastIndex()} with no gaps, and {@code compactedIndex <= snapshot.index() <= lastIndex()}.
 */
public final class MemoryStorage implements LogStorage {

    private HardState hardState = HardState.EMPTY;
    private Snapshot snapshot;
    private long compactedIndex;
    private long compactedTerm;
    private final List<Entry> entries = new ArrayList<>();

    public MemoryStorage(Snapshot initial) {
        this.snapshot = initial;
        this.compactedIndex = initial.index();
        this.compactedTerm = initial.term();
    }

    /** Storage for a member of a new cluster with these initial members. */
    public static MemoryStorage bootstrap(ConfState members) {
        return bootstrap(members, ClusterBootstrap.entries(members));
    }

    /** As {@link #bootstrap(ConfState)}, with bootstrap entries that carry the server's contexts. */
    public static MemoryStorage bootstrap(ConfState members, List<Entry> bootstrapEntries) {
        MemoryStorage storage = new MemoryStorage(Snapshot.EMPTY);
        storage.append(bootstrapEntries);
        storage.setHardState(ClusterBootstrap.hardState(members));
        return storage;
    }

    /** Storage for a member that joins an existing cluster and learns everything from it. */
    public static MemoryStorage joining() {
        return new MemoryStorage(Snapshot.EMPTY);
    }

    @Override
    public HardState hardState() {
        return hardState;
    }

    @Override
    public Snapshot snapshot() {
        return snapshot;
    }

    @Override
    public long firstIndex() {
        return compactedIndex + 1;
    }

    @Override
    public long lastIndex() {
        return compactedIndex + entries.size();
    }

    @Override
    public long term(long index) {
        if (index < compactedIndex) {
            throw new LogCompactedException(index, compactedIndex);
        }
        if (index > lastIndex()) {
            throw new IllegalArgumentException("index " + index + " is past the last " + lastIndex());
        }
        return index == compactedIndex ? compactedTerm : at(index).term();
    }

    @Override
    public List<Entry> entries(long lo, long hi, long maxBytes) {
        if (lo < firstIndex()) {
            throw new LogCompactedException(lo, compactedIndex);
        }
        if (hi > lastIndex() + 1) {
            throw new IllegalArgumentException("entries up to " + hi + " past the last " + lastIndex());
        }
        List<Entry> out = new ArrayList<>();
        long bytes = 0;
        for (long i = lo; i < hi; i++) {
            Entry e = at(i);
            bytes += e.sizeBytes();
            if (!out.isEmpty() && bytes > maxBytes) {
                break;
            }
            out.add(e);
        }
        return out;
    }

    @Override
    public void append(List<Entry> newEntries) {
        if (newEntries.isEmpty()) {
            return;
        }
        long first = newEntries.getFirst().index();
        if (first > lastIndex() + 1) {
            throw new IllegalArgumentException("append at " + first + " leaves a gap after " + lastIndex());
        }
        if (first <= compactedIndex) {
            throw new IllegalArgumentException("append at " + first + " overwrites compacted entries up to "
                    + compactedIndex);
        }
        while (lastIndex() >= first) {
            entries.removeLast();
        }
        entries.addAll(newEntries);
    }

    @Override
    public void setHardState(HardState hardState) {
        this.hardState = hardState;
    }

    @Override
    public void applySnapshot(Snapshot incoming) {
        if (incoming.index() < snapshot.index()) {
            throw new IllegalArgumentException("snapshot at " + incoming.index()
                    + " is older than the held one at " + snapshot.index());
        }
        snapshot = incoming;
        compactedIndex = incoming.index();
        compactedTerm = incoming.term();
        entries.clear();
    }

    @Override
    public void createSnapshot(long index, ConfState confState, byte[] data) {
        if (index <= snapshot.index()) {
            return;
        }
        if (index > lastIndex()) {
            throw new IllegalArgumentException("snapshot at " + index + " is past the last " + lastIndex());
        }
        snapshot = new Snapshot(new SnapshotMetadata(index, term(index), confState), data);
    }

    @Override
    public void compact(long index) {
        if (index <= compactedIndex) {
            return;
        }
        if (index > snapshot.index()) {
            throw new IllegalArgumentException("compaction to " + index + " passes the snapshot at "
                    + snapshot.index());
        }
        long term = term(index);
        entries.subList(0, (int) (index - compactedIndex)).clear();
        compactedIndex = index;
        compactedTerm = term;
    }

    private Entry at(long index) {
        return entries.get((int) (index - compactedIndex - 1));
    }
}
