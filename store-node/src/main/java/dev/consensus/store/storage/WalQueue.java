package dev.consensus.store.storage;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The hand-over between appending threads and whoever writes the WAL next: requests queue up
 * while a write is busy, and the next write takes all of them at once, which is what makes group
 * commit. Once the WAL has failed or closed, new requests fail at once.
 */
final class WalQueue {

    sealed interface Request {}

    record Append(List<WalRecord> records, List<byte[]> frames, Runnable onDurable, CompletableFuture<Void> done)
            implements Request {}

    record Purge(long index, CompletableFuture<Integer> done) implements Request {}

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Request> pending = new ArrayDeque<>();
    private IOException failure;
    private boolean closed;

    /** Queues a request; {@code wake} tells the writer thread, which a caller writing it itself need not. */
    void submit(Request request, boolean wake) {
        lock.lock();
        try {
            if (failure != null) {
                fail(request, new IOException("wal: refusing to append after an earlier write or fsync failure; "
                        + "restart to recover from what is on disk", failure));
            } else if (closed) {
                fail(request, new IOException("wal: closed"));
            } else {
                pending.add(request);
                if (wake) {
                    changed.signal();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Waits until a request is queued; false once closed with nothing left to write. */
    boolean awaitPending() {
        lock.lock();
        try {
            while (pending.isEmpty() && !closed) {
                changed.awaitUninterruptibly();
            }
            return !pending.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /** Every request queued so far, perhaps none. */
    List<Request> takeAll() {
        lock.lock();
        try {
            List<Request> batch = new ArrayList<>(pending);
            pending.clear();
            return batch;
        } finally {
            lock.unlock();
        }
    }

    /** Fails {@code batch}, everything queued, and everything submitted from now on. */
    void fail(IOException cause, List<Request> batch) {
        List<Request> queued;
        lock.lock();
        try {
            failure = cause;
            queued = new ArrayList<>(pending);
            pending.clear();
        } finally {
            lock.unlock();
        }
        batch.forEach(r -> fail(r, cause));
        queued.forEach(r -> fail(r, cause));
    }

    void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private static void fail(Request request, Throwable cause) {
        switch (request) {
            case Append a -> a.done().completeExceptionally(cause);
            case Purge p -> p.done().completeExceptionally(cause);
        }
    }
}
