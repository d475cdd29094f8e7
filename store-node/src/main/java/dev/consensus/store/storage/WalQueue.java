package dev.consensus.store.storage;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The hand-over between appending threads and the WAL's writer: requests queue up while the
 * writer is busy, and the writer takes all of them at once, which is what makes group commit.
 * Once the WAL has failed or closed, new requests fail at once.
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

    void submit(Request request) {
        lock.lock();
        try {
            if (failure != null) {
                fail(request, new IOException("wal: refusing to append after an earlier write or fsync failure; "
                        + "restart to recover from what is on disk", failure));
            } else if (closed) {
                fail(request, new IOException("wal: closed"));
            } else {
                pending.add(request);
                changed.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Every request queued so far, waiting for one; null once closed and drained. */
    List<Request> takeBatch() {
        lock.lock();
        try {
            while (pending.isEmpty() && !closed) {
                changed.awaitUninterruptibly();
            }
            if (pending.isEmpty()) {
                return null;
            }
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
