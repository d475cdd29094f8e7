package dev.consensus.store.mvcc;

import dev.consensus.api.mvccpb.KeyValue;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.ReadOptions;

/**
 * Loads stored KeyValues by the revision the index named. A missing one means the index and the
 * disk disagree, which is corruption, never a normal answer.
 */
final class StoredKvs {

    private StoredKvs() {
    }

    static KeyValue get(RocksBackend backend, Revision revision) {
        return decode(revision, backend.get(backend.kv(), new RevisionKey(revision, false).encode()));
    }

    /** Many at once: one RocksDB multi-get, much cheaper than a get per key for a long range. */
    static List<KeyValue> getAll(RocksBackend backend, ReadOptions options, List<Revision> revisions) {
        List<byte[]> keys = new ArrayList<>(revisions.size());
        for (Revision revision : revisions) {
            keys.add(new RevisionKey(revision, false).encode());
        }
        List<byte[]> values = backend.multiGet(backend.kv(), options, keys);
        List<KeyValue> kvs = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            kvs.add(decode(revisions.get(i), values.get(i)));
        }
        return kvs;
    }

    private static KeyValue decode(Revision revision, byte[] bytes) {
        if (bytes == null) {
            throw new MvccStorageException("the index names revision " + revision + " but RocksDB does not hold it");
        }
        return IndexLoader.parse(bytes, new RevisionKey(revision, false));
    }
}
