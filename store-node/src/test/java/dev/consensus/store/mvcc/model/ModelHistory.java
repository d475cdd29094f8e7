package dev.consensus.store.mvcc.model;

import com.google.protobuf.ByteString;
import dev.consensus.api.mvccpb.KeyValue;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Every write ever made, in order: the model's whole key space. A read at a revision looks at
 * the last write of each key at or below it, by brute force; nothing is ever dropped, since a
 * compaction only forbids reads, it changes no answer above the compacted revision.
 */
final class ModelHistory {

    /**
     * One write: a put ({@code kv} is the stored pair) or a delete ({@code kv} holds the key and
     * the revision only, as etcd's delete events do).
     */
    record Change(long revision, int sub, KeyValue kv, boolean tombstone) {
        ByteString key() {
            return kv.getKey();
        }
    }

    private final List<Change> changes = new ArrayList<>();

    void put(long revision, KeyValue kv) {
        changes.add(new Change(revision, subOf(revision), kv, false));
    }

    void delete(long revision, ByteString key) {
        KeyValue tombstone = KeyValue.newBuilder().setKey(key).setModRevision(revision).build();
        changes.add(new Change(revision, subOf(revision), tombstone, true));
    }

    private int subOf(long revision) {
        int sub = 0;
        for (int i = changes.size() - 1; i >= 0 && changes.get(i).revision() == revision; i--) {
            sub++;
        }
        return sub;
    }

    /** The last write of {@code key} at or below {@code revision}, or null. */
    Change lastChange(ByteString key, long revision) {
        Change last = null;
        for (Change change : changes) {
            if (change.revision() <= revision && change.key().equals(key)) {
                last = change;
            }
        }
        return last;
    }

    /** The pair {@code key} holds at {@code revision}, or null if it does not exist then. */
    KeyValue get(ByteString key, long revision) {
        Change last = lastChange(key, revision);
        return last == null || last.tombstone() ? null : last.kv();
    }

    /** Every pair alive at {@code revision} whose key is in {@code span}, in key order. */
    List<KeyValue> range(KeySpan span, long revision) {
        TreeSet<ByteString> keys = new TreeSet<>(KeySpan.ORDER);
        for (Change change : changes) {
            if (span.contains(change.key())) {
                keys.add(change.key());
            }
        }
        List<KeyValue> alive = new ArrayList<>();
        for (ByteString key : keys) {
            KeyValue kv = get(key, revision);
            if (kv != null) {
                alive.add(kv);
            }
        }
        return alive;
    }

    /** The writes at or above {@code revision}, in order. */
    List<Change> since(long revision) {
        return changes.stream().filter(c -> c.revision() >= revision).toList();
    }
}
