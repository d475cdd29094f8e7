package dev.consensus.store.storage;

/**
 * The storage limits, built once (later from flags) and validated here so that a bad value
 * fails at start with a message naming it. Defaults are etcd's.
 *
 * @param segmentBytes    the preallocated size of each WAL segment file (etcd: 64 MB)
 * @param maxRecordBytes  the largest payload one record may carry, so the largest entry; a larger
 *                        entry is refused before anything is written (etcd's WAL decoder: 10 MiB)
 * @param snapshotsToKeep how many snapshot files to keep on disk (etcd's {@code --max-snapshots}: 5)
 */
public record WalConfig(long segmentBytes, int maxRecordBytes, int snapshotsToKeep) {

    public static final long DEFAULT_SEGMENT_BYTES = 64L * 1000 * 1000;
    public static final int DEFAULT_MAX_RECORD_BYTES = 10 * 1024 * 1024;
    public static final int DEFAULT_SNAPSHOTS_TO_KEEP = 5;

    /** Below this a segment holds too little to be worth a file. */
    public static final long MIN_SEGMENT_BYTES = 4096;

    public WalConfig {
        if (segmentBytes < MIN_SEGMENT_BYTES || segmentBytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("wal: segment size must be between " + MIN_SEGMENT_BYTES + " and "
                    + Integer.MAX_VALUE + " bytes, got " + segmentBytes);
        }
        if (maxRecordBytes < 64) {
            throw new IllegalArgumentException("wal: max record size must be at least 64 bytes, got " + maxRecordBytes);
        }
        long needed = SegmentPreamble.MAX_BYTES + Frame.frameBytes(maxRecordBytes);
        if (needed > segmentBytes) {
            throw new IllegalArgumentException("wal: a segment of " + segmentBytes + " bytes cannot hold a record of "
                    + maxRecordBytes + " bytes after its header records; use segments of at least " + needed
                    + " bytes or a smaller max record size");
        }
        if (snapshotsToKeep < 1) {
            throw new IllegalArgumentException("snap: snapshots to keep must be at least 1, got " + snapshotsToKeep);
        }
    }

    public static WalConfig defaults() {
        return new WalConfig(DEFAULT_SEGMENT_BYTES, DEFAULT_MAX_RECORD_BYTES, DEFAULT_SNAPSHOTS_TO_KEEP);
    }

    public WalConfig withSegmentBytes(long bytes) {
        return new WalConfig(bytes, maxRecordBytes, snapshotsToKeep);
    }

    public WalConfig withMaxRecordBytes(int bytes) {
        return new WalConfig(segmentBytes, bytes, snapshotsToKeep);
    }

    public WalConfig withSnapshotsToKeep(int count) {
        return new WalConfig(segmentBytes, maxRecordBytes, count);
    }
}
