package dev.consensus.store.server;

import dev.consensus.store.raft.ConfChange;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Clients waiting on this member for their proposals to apply, by request id, and for
 * membership changes, by the change itself. Only the proposing member has a waiter; every other
 * member applies the same entry with no one to answer.
 */
final class PendingRequests {

    private final Map<Long, CompletableFuture<Object>> requests = new ConcurrentHashMap<>();
    private final Map<ConfChange, CompletableFuture<Object>> changes = new ConcurrentHashMap<>();
    private final AtomicLong nextId;

    PendingRequests(long memberId) {
        // Unique across members and restarts: the member's id in the top bits, the clock below.
        this.nextId = new AtomicLong((memberId << 48) ^ (System.currentTimeMillis() << 8));
    }

    long newId() {
        return nextId.incrementAndGet();
    }

    CompletableFuture<Object> register(long requestId) {
        CompletableFuture<Object> f = new CompletableFuture<>();
        requests.put(requestId, f);
        f.whenComplete((r, e) -> requests.remove(requestId));
        return f;
    }

    CompletableFuture<Object> register(ConfChange change) {
        CompletableFuture<Object> f = new CompletableFuture<>();
        CompletableFuture<Object> previous = changes.put(change, f);
        if (previous != null) {
            previous.completeExceptionally(ServerError.TIMEOUT.exception());
        }
        f.whenComplete((r, e) -> changes.remove(change, f));
        return f;
    }

    void complete(long requestId, Object result) {
        CompletableFuture<Object> f = requests.get(requestId);
        if (f != null) {
            f.complete(result);
        }
    }

    void fail(long requestId, Throwable error) {
        CompletableFuture<Object> f = requests.get(requestId);
        if (f != null) {
            f.completeExceptionally(error);
        }
    }

    void complete(ConfChange change, Object result) {
        CompletableFuture<Object> f = changes.get(change);
        if (f != null) {
            f.complete(result);
        }
    }

    void failAll(Throwable error) {
        requests.values().forEach(f -> f.completeExceptionally(error));
        changes.values().forEach(f -> f.completeExceptionally(error));
    }
}
