package dev.consensus.store.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/** Futures that complete once the state machine has applied a given index (ReadIndex reads). */
final class AppliedWaiters {

    private final TreeMap<Long, List<CompletableFuture<Void>>> waiting = new TreeMap<>();
    private long applied;

    synchronized void waitFor(long index, CompletableFuture<Void> future) {
        if (index <= applied) {
            future.complete(null);
            return;
        }
        waiting.computeIfAbsent(index, i -> new ArrayList<>()).add(future);
    }

    void applied(long index) {
        List<CompletableFuture<Void>> ready = new ArrayList<>();
        synchronized (this) {
            applied = Math.max(applied, index);
            Map<Long, List<CompletableFuture<Void>>> head = waiting.headMap(applied, true);
            head.values().forEach(ready::addAll);
            head.clear();
        }
        ready.forEach(f -> f.complete(null));
    }

    void failAll(Throwable error) {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        synchronized (this) {
            waiting.values().forEach(all::addAll);
            waiting.clear();
        }
        all.forEach(f -> f.completeExceptionally(error));
    }
}
