package dev.consensus.store.mvcc;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * What the {@code meta} column family holds, read once at open (which also stamps a new database
 * with its format version). Every applied entry rewrites
 * {@code applied} in the same batch as its data, which is what makes replay exact.
 *
 * @param appliedIndex     the last Raft index applied, 0 for a new store
 * @param appliedTerm      its term
 * @param currentRevision  the store's revision (1 on an empty store, as in etcd)
 * @param compactScheduled the revision the last accepted compaction compacts to, -1 if none
 * @param compactFinished  the revision whose compaction has been fully deleted from disk, -1 if
 *                         none; below {@code compactScheduled} after a crash mid-compaction, which
 *                         open resumes
 * @param membership       opaque bytes the server stored with the last membership change
 */
record StoreMeta(long appliedIndex, long appliedTerm, long currentRevision, long compactScheduled,
        long compactFinished, byte[] membership) {

    static final byte[] APPLIED = key("applied");
    static final byte[] CURRENT_REVISION = key("current_revision");
    static final byte[] COMPACT_SCHEDULED = key("compact_scheduled");
    static final byte[] COMPACT_FINISHED = key("compact_finished");
    static final byte[] MEMBERSHIP = key("membership");
    static final byte[] FORMAT = key("format");

    /** Bumped when the on-disk layout changes incompatibly; open refuses other values. */
    static final long FORMAT_VERSION = 1;

    static StoreMeta read(RocksBackend backend) {
        byte[] format = backend.get(backend.meta(), FORMAT);
        if (format == null) {
            try (ApplyBatch batch = new ApplyBatch(backend)) {
                batch.putFormat();
                batch.commit();
            }
        } else if (decodeLong(format) != FORMAT_VERSION) {
            throw new MvccStorageException("MVCC data format " + decodeLong(format) + " is not supported (expected "
                    + FORMAT_VERSION + ")");
        }
        byte[] applied = backend.get(backend.meta(), APPLIED);
        long index = 0;
        long term = 0;
        if (applied != null) {
            ByteBuffer buffer = ByteBuffer.wrap(applied);
            index = buffer.getLong();
            term = buffer.getLong();
        }
        byte[] membership = backend.get(backend.meta(), MEMBERSHIP);
        return new StoreMeta(index, term,
                readLong(backend, CURRENT_REVISION, 1),
                readLong(backend, COMPACT_SCHEDULED, -1),
                readLong(backend, COMPACT_FINISHED, -1),
                membership == null ? new byte[0] : membership);
    }

    static byte[] encodeApplied(RaftPosition position) {
        return ByteBuffer.allocate(16).putLong(position.index()).putLong(position.term()).array();
    }

    static byte[] encodeLong(long value) {
        return ByteBuffer.allocate(8).putLong(value).array();
    }

    static long decodeLong(byte[] bytes) {
        if (bytes.length != 8) {
            throw new MvccStorageException("corrupt meta value of " + bytes.length + " bytes (expected 8)");
        }
        return ByteBuffer.wrap(bytes).getLong();
    }

    private static long readLong(RocksBackend backend, byte[] key, long absent) {
        byte[] value = backend.get(backend.meta(), key);
        return value == null ? absent : decodeLong(value);
    }

    private static byte[] key(String name) {
        return name.getBytes(StandardCharsets.UTF_8);
    }
}
