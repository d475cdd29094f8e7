package dev.consensus.bench.load;

import io.grpc.stub.StreamObserver;
import java.util.function.Consumer;

/**
 * Adapts one unary call's callbacks to an {@link Operation.Completion}: the response goes to the
 * workload's handler, and a handler that throws (an answer the workload cannot use) counts as a
 * failed request instead of being lost on a gRPC thread.
 */
final class Unary<T> implements StreamObserver<T> {

    private final Consumer<T> onResponse;
    private final Operation.Completion done;
    private T response;

    private Unary(Consumer<T> onResponse, Operation.Completion done) {
        this.onResponse = onResponse;
        this.done = done;
    }

    static <T> StreamObserver<T> observer(Consumer<T> onResponse, Operation.Completion done) {
        return new Unary<>(onResponse, done);
    }

    static <T> StreamObserver<T> observer(Operation.Completion done) {
        return new Unary<>(response -> { }, done);
    }

    @Override
    public void onNext(T value) {
        response = value;
    }

    @Override
    public void onError(Throwable error) {
        done.failed(error);
    }

    @Override
    public void onCompleted() {
        try {
            onResponse.accept(response);
        } catch (RuntimeException e) {
            done.failed(e);
            return;
        }
        done.succeeded();
    }
}
