package dev.consensus.store.storage;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The data on disk is damaged in a way a crash cannot explain, so the node refuses to start
 * rather than drop what may be acknowledged data. Recovery throws it before changing anything
 * on disk; the message names the file and the offset (or -1 for a whole file) to inspect.
 */
public final class StorageCorruptionException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long offset;

    public StorageCorruptionException(Path file, long offset, String detail) {
        super(message(file, offset, detail));
        this.file = file;
        this.offset = offset;
    }

    private static String message(Path file, long offset, String detail) {
        String where = offset >= 0 ? file + " at offset " + offset : String.valueOf(file);
        return "storage: corrupt data in " + where + ": " + detail
                + "; refusing to start, nothing was changed on disk (see docs/storage.md, \"How recovery decides\")";
    }

    public Path file() {
        return file;
    }

    /** The offset of the first bad byte range in {@link #file()}, or -1 when the whole file is bad. */
    public long offset() {
        return offset;
    }
}
