package dev.consensus.store.transport;

import io.grpc.stub.ClientCallStreamObserver;
import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Lets a sending thread wait until a client stream can take another message. gRPC buffers
 * whatever {@code onNext} is given; waiting for readiness is what keeps a slow or vanished peer
 * from filling this member's memory with batches or snapshot chunks.
 */
final class CallReadiness implements Runnable {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private boolean ended;

    /** gRPC's on-ready handler. */
    @Override
    public void run() {
        signal();
    }

    /** The call is over; waiting threads stop waiting. */
    void end() {
        lock.lock();
        try {
            ended = true;
        } finally {
            lock.unlock();
        }
        signal();
    }

    /** True once the call can take a message; false if it ended or did not become ready in time. */
    boolean await(ClientCallStreamObserver<?> call, Duration timeout) throws InterruptedException {
        long remaining = timeout.toNanos();
        lock.lock();
        try {
            while (!ended && !call.isReady()) {
                if (remaining <= 0) {
                    return false;
                }
                remaining = changed.awaitNanos(remaining);
            }
            return !ended;
        } finally {
            lock.unlock();
        }
    }

    private void signal() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
