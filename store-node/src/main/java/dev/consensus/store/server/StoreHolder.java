package dev.consensus.store.server;

import dev.consensus.store.mvcc.MvccStore;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;

/**
 * The state machine, which a snapshot from the leader replaces whole. RocksDB must never be read
 * after it is closed (that is a native crash, not an exception), so every use holds the read lock
 * and the swap holds the write lock.
 */
final class StoreHolder implements AutoCloseable {

    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private MvccStore store;

    StoreHolder(MvccStore store) {
        this.store = store;
    }

    <T> T use(Function<MvccStore, T> action) {
        lock.readLock().lock();
        try {
            if (store == null) {
                throw ServerError.STOPPED.exception();
            }
            return action.apply(store);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Closes the current store, lets {@code replace} build the next from disk, and installs it. */
    void swap(Function<MvccStore, MvccStore> replace) {
        lock.writeLock().lock();
        try {
            MvccStore old = store;
            store = null;
            store = replace.apply(old);
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (store != null) {
                store.close();
                store = null;
            }
        } finally {
            lock.writeLock().unlock();
        }
    }
}
