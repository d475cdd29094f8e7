package dev.consensus.store.mvcc;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.consensus.api.mvccpb.KeyValue;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the in-memory state from RocksDB at open: the leases, the index (every stored write in
 * revision order), each live key's lease attachment, and the index compaction to the last
 * scheduled compact revision, whose leftover disk deletions the caller resumes.
 */
final class IndexLoader {

    private static final Logger LOG = LoggerFactory.getLogger(IndexLoader.class);

    /** What open starts from; {@code unfinishedKeep} is non-null when a compaction must be resumed. */
    record Loaded(TreeIndex index, Lessor lessor, StoreMeta meta, Set<Revision> unfinishedKeep) { }

    private IndexLoader() {
    }

    static Loaded load(RocksBackend backend, MvccConfig config) {
        StoreMeta meta = StoreMeta.read(backend);
        Lessor lessor = new Lessor(config);
        loadLeases(backend, lessor);
        TreeIndex index = new TreeIndex();
        long newest = loadIndex(backend, index, lessor);
        if (newest > meta.currentRevision()) {
            throw new MvccStorageException("stored write at revision " + newest
                    + " is newer than the recorded current revision " + meta.currentRevision());
        }
        Set<Revision> keep = null;
        if (meta.compactScheduled() >= 0) {
            keep = index.compact(meta.compactScheduled());
        }
        boolean unfinished = meta.compactScheduled() > meta.compactFinished();
        return new Loaded(index, lessor, meta, unfinished ? keep : null);
    }

    private static void loadLeases(RocksBackend backend, Lessor lessor) {
        try (ReadOptions options = new ReadOptions(); RocksIterator it = backend.iterator(backend.lease(), options)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                lessor.grant(ApplyBatch.leaseId(it.key()), StoreMeta.decodeLong(it.value()));
            }
        }
    }

    /** Returns the newest main revision stored, 0 if none. */
    private static long loadIndex(RocksBackend backend, TreeIndex index, Lessor lessor) {
        Map<ByteString, Long> leaseOfLiveKey = new HashMap<>();
        long newest = 0;
        try (ReadOptions options = new ReadOptions(); RocksIterator it = backend.iterator(backend.kv(), options)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                RevisionKey key = RevisionKey.decode(it.key());
                KeyValue kv = parse(it.value(), key);
                index.restore(kv.getKey(), key.revision(), key.tombstone(), kv.getCreateRevision(), kv.getVersion());
                if (key.tombstone() || kv.getLease() == 0) {
                    leaseOfLiveKey.remove(kv.getKey());
                } else {
                    leaseOfLiveKey.put(kv.getKey(), kv.getLease());
                }
                newest = key.revision().main();
            }
        }
        leaseOfLiveKey.forEach((key, lease) -> {
            if (lessor.exists(lease)) {
                lessor.attach(lease, key);
            } else {
                LOG.warn("key {} names lease {} which does not exist; left unattached", key.toStringUtf8(), lease);
            }
        });
        return newest;
    }

    static KeyValue parse(byte[] value, RevisionKey key) {
        try {
            return KeyValue.parseFrom(value);
        } catch (InvalidProtocolBufferException e) {
            throw new MvccStorageException("corrupt KeyValue at revision " + key.revision(), e);
        }
    }
}
