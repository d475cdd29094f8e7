package dev.consensus.store.mvcc;

import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

/** The open watch streams of a store, woken together when the store has a new revision. */
final class WatchHub {

    private final Set<WatchDispatcher> streams = new CopyOnWriteArraySet<>();

    void add(WatchDispatcher stream) {
        streams.add(stream);
    }

    void remove(WatchDispatcher stream) {
        streams.remove(stream);
    }

    void wakeAll() {
        for (WatchDispatcher stream : streams) {
            stream.wake();
        }
    }

    void closeAll() {
        for (WatchDispatcher stream : streams) {
            stream.close();
        }
    }
}
