package dev.consensus.store.server;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Linearizable reads waiting for their ReadIndex: the core answers a request id with a commit
 * index, and the read may run once this member has applied that index (thesis 6.4).
 */
final class ReadRequests {

    private final Map<Long, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong();

    long register(CompletableFuture<Void> future) {
        long id = nextId.incrementAndGet();
        waiting.put(id, future);
        future.whenComplete((v, e) -> waiting.remove(id));
        return id;
    }

    void released(long requestId, long index, AppliedWaiters applied) {
        CompletableFuture<Void> f = waiting.remove(requestId);
        if (f != null) {
            applied.waitFor(index, f);
        }
    }

    void fail(long requestId, Throwable error) {
        CompletableFuture<Void> f = waiting.remove(requestId);
        if (f != null) {
            f.completeExceptionally(error);
        }
    }

    void failAll(Throwable error) {
        waiting.values().forEach(f -> f.completeExceptionally(error));
    }
}
