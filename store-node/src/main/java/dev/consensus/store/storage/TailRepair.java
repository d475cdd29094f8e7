package dev.consensus.store.storage;

import java.nio.file.Path;

/**
 * Bytes after the last intact record of the last segment that recovery overwrites with zeros,
 * so that the next append starts on clean space: a record cut short by a crash, or stray bits
 * in the unused space.
 */
public record TailRepair(Path file, long offset, long bytes, Kind kind) {

    public enum Kind {
        /** The last record was cut short: it was never acknowledged, since its fsync never returned. */
        TORN_RECORD,
        /** Non-zero bytes in the unused space after the log's end, which cannot be a record. */
        STRAY_BYTES
    }
}
