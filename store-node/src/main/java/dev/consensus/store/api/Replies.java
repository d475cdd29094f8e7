package dev.consensus.store.api;

import dev.consensus.store.mvcc.EtcdException;
import dev.consensus.store.server.ServerException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Answers a gRPC call from a result or a future, turning the store's errors into etcd's statuses. */
final class Replies {

    private static final Logger LOG = LoggerFactory.getLogger(Replies.class);

    private Replies() {}

    static <T> void unary(StreamObserver<T> observer, Supplier<CompletableFuture<T>> call) {
        CompletableFuture<T> future;
        try {
            future = call.get();
        } catch (RuntimeException e) {
            observer.onError(toStatus(e));
            return;
        }
        future.whenComplete((result, error) -> {
            if (error != null) {
                observer.onError(toStatus(error));
            } else {
                observer.onNext(result);
                observer.onCompleted();
            }
        });
    }

    static <T> void now(StreamObserver<T> observer, Supplier<T> call) {
        T result;
        try {
            result = call.get();
        } catch (RuntimeException e) {
            observer.onError(toStatus(e));
            return;
        }
        observer.onNext(result);
        observer.onCompleted();
    }

    static StatusRuntimeException toStatus(Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return switch (e) {
            case EtcdException etcd -> etcd.error().status().asRuntimeException();
            case ServerException server -> server.error().status().asRuntimeException();
            case StatusRuntimeException status -> status;
            case io.grpc.StatusException status -> status.getStatus().asRuntimeException();
            case IllegalArgumentException bad -> Status.INVALID_ARGUMENT.withDescription(bad.getMessage())
                    .asRuntimeException();
            default -> {
                LOG.warn("request failed: {}", e.toString(), e);
                yield Status.UNKNOWN.withDescription(String.valueOf(e.getMessage())).asRuntimeException();
            }
        };
    }
}
