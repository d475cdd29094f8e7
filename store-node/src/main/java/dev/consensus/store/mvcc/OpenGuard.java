package dev.consensus.store.mvcc;

import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Keeps RocksDB from being closed under a thread still using it (a native use-after-close would
 * crash the JVM). Every operation that touches the database runs inside {@link #enter()}; {@link
 * #close()} waits for those in progress and refuses new ones.
 */
final class OpenGuard {

    /** An entered section; closing it leaves. */
    interface Section extends AutoCloseable {
        @Override
        void close();
    }

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Section section = () -> lock.readLock().unlock();
    private boolean closed;

    Section enter() {
        lock.readLock().lock();
        if (closed) {
            lock.readLock().unlock();
            throw new IllegalStateException("the MVCC store is closed");
        }
        return section;
    }

    /** Waits until no thread is inside, then refuses entry for good; false if already closed. */
    boolean close() {
        lock.writeLock().lock();
        try {
            boolean wasOpen = !closed;
            closed = true;
            return wasOpen;
        } finally {
            lock.writeLock().unlock();
        }
    }
}
