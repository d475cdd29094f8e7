package dev.consensus.store.mvcc;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The history of one key as generations of revisions, which is all the index needs to answer
 * "which stored write holds this key at revision r" without touching RocksDB. Mirrors etcd's
 * keyIndex, including how compaction trims it.
 *
 * <p>Invariant: there is always at least one generation; every generation but the last is
 * non-empty and ends with its tombstone.
 */
final class KeyIndex {

    /** The stored write holding the key at some revision. */
    record Found(Revision modified, Revision created, long version) { }

    private final ByteString key;
    private List<Generation> generations = new ArrayList<>(List.of(new Generation()));

    KeyIndex(ByteString key) {
        this.key = key;
    }

    ByteString key() {
        return key;
    }

    void put(Revision revision) {
        current().append(revision);
    }

    /** Ends the current life of the key; false (and no change) when the key is not live. */
    boolean tombstone(Revision revision) {
        if (!isLive()) {
            return false;
        }
        current().append(revision);
        generations.add(new Generation());
        return true;
    }

    /** Undoes the last {@link #put} (a txn that failed half-way). */
    void undoPut() {
        current().removeLast();
    }

    /** Undoes the last {@link #tombstone}. */
    void undoTombstone() {
        generations.remove(generations.size() - 1);
        current().removeLast();
    }

    /** Rebuild: the first stored write seen for a key whose earlier writes were compacted. */
    void restore(Revision created, Revision revision, long version) {
        current().restore(created, revision, version);
    }

    /** Rebuild: a tombstone whose generation's other writes were compacted away. */
    void restoreTombstone(Revision revision) {
        current().restore(revision, revision, 1);
        generations.add(new Generation());
    }

    boolean isLive() {
        return !current().isEmpty();
    }

    /** Nothing left to answer with: the key was deleted and its history compacted away. */
    boolean isEmpty() {
        return generations.size() == 1 && generations.get(0).isEmpty();
    }

    /** The write holding the key at {@code atRev}, or null when the key did not exist then. */
    Found get(long atRev) {
        Generation generation = generationAt(atRev);
        if (generation == null) {
            return null;
        }
        int position = generation.newestAtOrBefore(atRev);
        if (position < 0) {
            return null;
        }
        return new Found(generation.revisionAt(position), generation.created(), generation.versionAt(position));
    }

    /**
     * Drops history below {@code atRev}: whole generations whose tombstone is at or below it (as
     * etcd does: a read at {@code atRev} no longer sees them, and a tombstone at {@code atRev}
     * itself is not kept, even when a put of the same txn revived the key), and within the
     * generation alive at {@code atRev} everything before the newest write at or below it, which
     * is added to {@code keep} (the write a read at {@code atRev} still needs).
     */
    void compact(long atRev, Set<Revision> keep) {
        int index = 0;
        while (index < generations.size() - 1 && generations.get(index).lastMain() <= atRev) {
            index++;
        }
        Generation generation = generations.get(index);
        int position = generation.newestAtOrBefore(atRev);
        if (position >= 0) {
            keep.add(generation.revisionAt(position));
            generation.dropBefore(position);
        }
        generations = new ArrayList<>(generations.subList(index, generations.size()));
    }

    private Generation current() {
        return generations.get(generations.size() - 1);
    }

    private Generation generationAt(long atRev) {
        int last = generations.size() - 1;
        for (int i = last; i >= 0; i--) {
            Generation generation = generations.get(i);
            if (generation.isEmpty()) {
                continue;
            }
            if (i != last && generation.lastMain() <= atRev) {
                return null;
            }
            if (generation.firstMain() <= atRev) {
                return generation;
            }
        }
        return null;
    }
}
