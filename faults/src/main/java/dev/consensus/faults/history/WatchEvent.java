package dev.consensus.faults.history;

import java.util.Objects;

/**
 * One event a watcher received.
 *
 * @param revision the event's mod_revision (for a delete, the revision of the delete)
 * @param value    the value put; {@code null} for a delete
 * @param atNanos  when the watcher received it
 */
public record WatchEvent(String watcher, String key, long revision, Type type, String value, long atNanos)
        implements Entry {

    public enum Type { PUT, DELETE }

    public WatchEvent {
        Objects.requireNonNull(watcher, "watcher");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(type, "type");
        if (type == Type.PUT && value == null) {
            throw new IllegalArgumentException("a PUT event carries a value");
        }
    }
}
