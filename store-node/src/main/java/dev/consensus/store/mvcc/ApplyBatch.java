package dev.consensus.store.mvcc;

import dev.consensus.api.mvccpb.KeyValue;
import java.nio.ByteBuffer;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * One atomic RocksDB write: the data changes of one applied entry, or of several applied together,
 * with the new applied position and revision. Nothing reaches the disk until {@link #commit()};
 * closing an uncommitted batch discards it.
 */
final class ApplyBatch implements AutoCloseable {

    private final RocksBackend backend;
    private final WriteBatch batch = new WriteBatch();
    private int changes;

    ApplyBatch(RocksBackend backend) {
        this.backend = backend;
    }

    void putKv(RevisionKey key, KeyValue kv) {
        put(() -> batch.put(backend.kv(), key.encode(), kv.toByteArray()));
    }

    void deleteKv(byte[] revisionKey) {
        put(() -> batch.delete(backend.kv(), revisionKey));
    }

    void putLease(long id, long ttlSeconds) {
        put(() -> batch.put(backend.lease(), leaseKey(id), StoreMeta.encodeLong(ttlSeconds)));
    }

    void deleteLease(long id) {
        put(() -> batch.delete(backend.lease(), leaseKey(id)));
    }

    void putApplied(RaftPosition position) {
        put(() -> batch.put(backend.meta(), StoreMeta.APPLIED, StoreMeta.encodeApplied(position)));
    }

    void putFormat() {
        putMeta(StoreMeta.FORMAT, StoreMeta.encodeLong(StoreMeta.FORMAT_VERSION));
    }

    void putCurrentRevision(long revision) {
        putMeta(StoreMeta.CURRENT_REVISION, StoreMeta.encodeLong(revision));
    }

    void putCompactScheduled(long revision) {
        putMeta(StoreMeta.COMPACT_SCHEDULED, StoreMeta.encodeLong(revision));
    }

    void putCompactFinished(long revision) {
        putMeta(StoreMeta.COMPACT_FINISHED, StoreMeta.encodeLong(revision));
    }

    void deleteMeta(byte[] key) {
        put(() -> batch.delete(backend.meta(), key));
    }

    void putMembership(byte[] membership) {
        putMeta(StoreMeta.MEMBERSHIP, membership.clone());
    }

    int changes() {
        return changes;
    }

    /** Marks where the next entry's changes begin, so that a refusal can take back only them. */
    void mark() {
        batch.setSavePoint();
    }

    /** Discards every change since the last {@link #mark()}. */
    void rollbackToMark() {
        put(batch::rollbackToSavePoint);
    }

    /** Keeps the changes since the last {@link #mark()} and forgets the mark. */
    void keepSinceMark() {
        put(batch::popSavePoint);
    }

    void commit() {
        backend.write(batch);
    }

    @Override
    public void close() {
        batch.close();
    }

    static byte[] leaseKey(long id) {
        return ByteBuffer.allocate(8).putLong(id).array();
    }

    static long leaseId(byte[] key) {
        return ByteBuffer.wrap(key).getLong();
    }

    private void putMeta(byte[] key, byte[] value) {
        put(() -> batch.put(backend.meta(), key, value));
    }

    private void put(BatchOp op) {
        try {
            op.run();
            changes++;
        } catch (RocksDBException e) {
            throw new MvccStorageException("cannot build a RocksDB write batch: " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    private interface BatchOp {
        void run() throws RocksDBException;
    }
}
