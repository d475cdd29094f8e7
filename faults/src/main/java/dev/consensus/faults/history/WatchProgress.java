package dev.consensus.faults.history;

import java.util.Objects;

/**
 * A progress notification: the server says this watcher has been sent every event up to and
 * including {@code revision}. It extends the window in which completeness is checked; without
 * one, the window ends at the last event received.
 */
public record WatchProgress(String watcher, long revision, long atNanos) implements Entry {

    public WatchProgress {
        Objects.requireNonNull(watcher, "watcher");
    }
}
