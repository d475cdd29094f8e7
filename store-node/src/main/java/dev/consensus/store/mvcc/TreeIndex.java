package dev.consensus.store.mvcc;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The in-memory index from key to its history, ordered by key so ranges walk it in order. It is
 * rebuilt from RocksDB at open and never persisted. Not thread-safe: the store guards it with its
 * state lock (writes under the write lock, reads under the read lock).
 *
 * <p>A hash map beside the ordered one finds a single key: most writes and point reads name one
 * key that already exists, and a hash lookup costs one comparison where the tree costs one per
 * level (key comparisons were a third of a follower's apply time under a put load).
 */
final class TreeIndex {

    /** Revisions of the keys in a range at some revision, in key order, and how many keys matched. */
    record Hits(List<Revision> revisions, long total) { }

    private final TreeMap<ByteString, KeyIndex> keys = new TreeMap<>(KeyRange.ORDER);
    private final HashMap<ByteString, KeyIndex> byKey = new HashMap<>();

    KeyIndex.Found get(ByteString key, long atRev) {
        KeyIndex index = byKey.get(key);
        return index == null ? null : index.get(atRev);
    }

    void put(ByteString key, Revision revision) {
        KeyIndex index = byKey.get(key);
        if (index == null) {
            index = add(key);
        }
        index.put(revision);
    }

    /** Records the deletion of a live key; false when the key is not live (nothing recorded). */
    boolean tombstone(ByteString key, Revision revision) {
        KeyIndex index = byKey.get(key);
        return index != null && index.tombstone(revision);
    }

    void undoPut(ByteString key) {
        KeyIndex index = byKey.get(key);
        index.undoPut();
        if (index.isEmpty()) {
            keys.remove(key);
            byKey.remove(key);
        }
    }

    void undoTombstone(ByteString key) {
        byKey.get(key).undoTombstone();
    }

    /**
     * The revisions holding the keys of {@code range} at {@code atRev}: at most {@code limit} of
     * them when {@code limit > 0}, while {@code total} counts every match.
     */
    Hits range(KeyRange range, long atRev, long limit) {
        List<Revision> revisions = new ArrayList<>();
        long[] total = {0};
        visit(range, index -> {
            KeyIndex.Found found = index.get(atRev);
            if (found != null) {
                total[0]++;
                if (limit <= 0 || revisions.size() < limit) {
                    revisions.add(found.modified());
                }
            }
        });
        return new Hits(revisions, total[0]);
    }

    long count(KeyRange range, long atRev) {
        long[] total = {0};
        visit(range, index -> {
            if (index.get(atRev) != null) {
                total[0]++;
            }
        });
        return total[0];
    }

    /** The keys of {@code range} that exist at {@code atRev}, in key order. */
    List<ByteString> liveKeys(KeyRange range, long atRev) {
        List<ByteString> live = new ArrayList<>();
        visit(range, index -> {
            if (index.get(atRev) != null) {
                live.add(index.key());
            }
        });
        return live;
    }

    /**
     * Compacts every key's history to {@code atRev} and forgets keys with nothing left. Returns the
     * stored writes at or below {@code atRev} that reads at {@code atRev} or later still need; all
     * other writes at or below it may be deleted from disk.
     */
    Set<Revision> compact(long atRev) {
        Set<Revision> keep = new HashSet<>();
        Iterator<KeyIndex> it = keys.values().iterator();
        while (it.hasNext()) {
            KeyIndex index = it.next();
            index.compact(atRev, keep);
            if (index.isEmpty()) {
                it.remove();
                byKey.remove(index.key());
            }
        }
        return keep;
    }

    /** Rebuild from a stored write seen in revision order. */
    void restore(ByteString key, Revision revision, boolean tombstone, long createRevision, long version) {
        KeyIndex index = byKey.get(key);
        if (index == null) {
            index = add(key);
            if (tombstone) {
                index.restoreTombstone(revision);
            } else {
                index.restore(new Revision(createRevision, 0), revision, version);
            }
        } else if (tombstone) {
            if (!index.tombstone(revision)) {
                index.restoreTombstone(revision);
            }
        } else {
            index.put(revision);
        }
    }

    private KeyIndex add(ByteString key) {
        KeyIndex index = new KeyIndex(key);
        keys.put(key, index);
        byKey.put(key, index);
        return index;
    }

    private void visit(KeyRange range, Consumer<KeyIndex> visitor) {
        if (range.kind() == KeyRange.Kind.SINGLE) {
            KeyIndex index = byKey.get(range.key());
            if (index != null) {
                visitor.accept(index);
            }
            return;
        }
        if (range.isEmpty()) {
            return;
        }
        NavigableMap<ByteString, KeyIndex> slice = range.kind() == KeyRange.Kind.FROM_KEY
                ? keys.tailMap(range.key(), true)
                : keys.subMap(range.key(), true, range.end(), false);
        Collection<KeyIndex> indexes = slice.values();
        indexes.forEach(visitor);
    }
}
