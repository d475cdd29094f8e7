package dev.consensus.store.storage;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * An open file of a {@link FileLayer}, read and written at explicit positions so that one
 * handle never carries a hidden cursor. Written bytes are durable only after {@link #force()}.
 */
public interface FileHandle extends Closeable {

    /** The path the file was opened at (a rename does not change it). */
    Path path();

    /** Reads up to {@code dst.remaining()} bytes at {@code position}; -1 at the end of the file. */
    int read(ByteBuffer dst, long position) throws IOException;

    /** Writes all of {@code src} at {@code position}, extending the file when needed. */
    void write(ByteBuffer src, long position) throws IOException;

    long size() throws IOException;

    /**
     * Makes every byte written so far durable, and the file's size with it (fdatasync): what
     * an acknowledgement may rely on. Other metadata, such as the modification time, may lag.
     */
    void force() throws IOException;

    void truncate(long size) throws IOException;

    /** The whole file, for files that fit in memory (a segment, a snapshot). */
    default byte[] readAll() throws IOException {
        long size = size();
        if (size > Integer.MAX_VALUE - 16) {
            throw new IOException(path() + " is too large to read at once: " + size + " bytes");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) size);
        while (buf.hasRemaining()) {
            if (read(buf, buf.position()) < 0) {
                throw new EOFException(path() + " ended at " + buf.position() + " of " + size + " bytes");
            }
        }
        return buf.array();
    }
}
