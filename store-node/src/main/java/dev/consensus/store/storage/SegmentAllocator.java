package dev.consensus.store.storage;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Prepares the next segment file in the background: a {@code <n>.tmp} file filled with zeros to
 * the segment size and fsynced, so that writing into it later changes no file size or block
 * allocation, and fdatasync has only data to flush. Filling it takes a while for 64 MB; doing
 * it ahead keeps that off the append path (etcd's WAL does the same).
 *
 * <p>Each MiB of zeros is fsynced as it is written. With one fsync at the end, the appends'
 * fsyncs that ran meanwhile waited for the file system to write out the whole dirty segment
 * (ext4 commits a file's newly allocated blocks with whichever fsync comes next): a 220 ms
 * stall of every write once per segment, the slowest 0.1% of puts under load.
 */
final class SegmentAllocator implements Closeable {

    /** Zeros to copy from; read-only, so threads can share it. */
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(1 << 20).asReadOnlyBuffer();

    private final FileLayer files;
    private final Path dir;
    private final long segmentBytes;
    private final ExecutorService executor;
    private long counter;
    private Future<FileHandle> next;

    SegmentAllocator(FileLayer files, Path dir, long segmentBytes) {
        this.files = files;
        this.dir = dir;
        this.segmentBytes = segmentBytes;
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "wal-preallocate");
            t.setDaemon(true);
            return t;
        });
        this.next = prepareNext();
    }

    /** A prepared file, open; the caller renames it into place. Starts preparing the one after. */
    FileHandle take() throws IOException {
        FileHandle handle = await(next);
        next = prepareNext();
        return handle;
    }

    private Future<FileHandle> prepareNext() {
        Path path = dir.resolve(counter++ + ".tmp");
        return executor.submit(() -> prepare(path));
    }

    private FileHandle prepare(Path path) throws IOException {
        if (files.exists(path)) {
            files.delete(path);
        }
        FileHandle handle = files.create(path);
        try {
            for (long at = 0; at < segmentBytes; at += ZEROS.capacity()) {
                ByteBuffer zeros = ZEROS.duplicate();
                zeros.limit((int) Math.min(zeros.capacity(), segmentBytes - at));
                handle.write(zeros, at);
                handle.force();
            }
            return handle;
        } catch (IOException | RuntimeException e) {
            closeQuietly(handle);
            throw e;
        }
    }

    private static FileHandle await(Future<FileHandle> future) throws IOException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("wal: interrupted while waiting for the next segment file");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("wal: preparing the next segment file failed", e.getCause());
        }
    }

    /** Waits for the preparation under way, then removes its file: it is not part of the log. */
    @Override
    public void close() {
        executor.shutdown();
        try {
            FileHandle unused = await(next);
            closeQuietly(unused);
            files.delete(unused.path());
        } catch (IOException e) {
            // Nothing to clean up, or a leftover .tmp file that the next start deletes.
        }
    }

    private static void closeQuietly(FileHandle handle) {
        try {
            handle.close();
        } catch (IOException e) {
            // The file is abandoned either way.
        }
    }
}
