package dev.consensus.store.mvcc;

/**
 * RocksDB failed underneath the store, or an entry failed with a fault rather than an etcd error.
 * The in-memory state may then be ahead of the disk, so the store refuses everything from then on;
 * reopening it rebuilds a consistent state from disk, and Raft replays whatever the disk lost.
 */
public final class MvccStorageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public MvccStorageException(String message, Throwable cause) {
        super(message, cause);
    }

    public MvccStorageException(String message) {
        super(message);
    }
}
