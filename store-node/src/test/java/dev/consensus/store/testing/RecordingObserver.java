package dev.consensus.store.testing;

import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Receives a gRPC stream's messages on gRPC's threads and hands them to the test thread in
 * order, so a test can await "the next response" on a Watch or LeaseKeepAlive stream. Every
 * wait is bounded; an error or end of the stream fails the wait at once, with the cause.
 */
public final class RecordingObserver<T> implements StreamObserver<T> {

    private final LinkedBlockingQueue<Signal<T>> signals = new LinkedBlockingQueue<>();

    /** What the stream delivered: a message, its error, or its end. */
    private sealed interface Signal<T> {
        record Message<T>(T value) implements Signal<T> {
        }

        record Failed<T>(Throwable error) implements Signal<T> {
        }

        record Completed<T>() implements Signal<T> {
        }
    }

    @Override
    public void onNext(T value) {
        signals.add(new Signal.Message<>(value));
    }

    @Override
    public void onError(Throwable error) {
        signals.add(new Signal.Failed<>(error));
    }

    @Override
    public void onCompleted() {
        signals.add(new Signal.Completed<>());
    }

    /** The next message, waiting at most {@code timeout}. */
    public T next(Duration timeout) {
        Signal<T> signal;
        try {
            signal = signals.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for a stream message", e);
        }
        return switch (signal) {
            case null -> throw new AssertionError("no stream message within " + timeout);
            case Signal.Message<T> message -> message.value();
            case Signal.Failed<T> failed -> throw new AssertionError("the stream failed", failed.error());
            case Signal.Completed<T> completed -> throw new AssertionError("the stream ended");
        };
    }

    /**
     * The next message that matches, skipping the others; waits at most {@code timeout} for each
     * of at most {@code maxSkipped + 1} messages, so the whole wait is bounded.
     */
    public T nextMatching(Predicate<T> wanted, int maxSkipped, Duration timeout) {
        for (int i = 0; i <= maxSkipped; i++) {
            T value = next(timeout);
            if (wanted.test(value)) {
                return value;
            }
        }
        throw new AssertionError("no matching stream message among the next " + (maxSkipped + 1));
    }
}
