package dev.consensus.faults.history;

import java.util.Objects;

/**
 * A watcher (re)subscribed. The first start of a watcher opens its window at
 * {@code fromRevision}; every later one is a reconnect, which must resume at the last revision
 * the watcher saw plus one.
 *
 * @param key          the key watched, or the prefix when {@code prefix}
 * @param fromRevision the start_revision sent; must be explicit (greater than 0), since
 *                     "from now" cannot be checked for completeness
 */
public record WatchStart(String watcher, String key, boolean prefix, long fromRevision, long atNanos)
        implements Entry {

    public WatchStart {
        Objects.requireNonNull(watcher, "watcher");
        Objects.requireNonNull(key, "key");
    }

    public boolean covers(String k) {
        return prefix ? k.startsWith(key) : k.equals(key);
    }
}
