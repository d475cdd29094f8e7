package dev.consensus.store.storage;

import dev.consensus.store.storage.WalRecord.EntryRecord;
import dev.consensus.store.storage.WalRecord.SegmentHeader;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write-ahead log: an append-only stream of {@link WalRecord}s in segment files, written
 * with group commit. Any thread may append. Appends that arrive while a write and fsync are under
 * way are written together by the next one, so many appends share one fsync. An append completes
 * only once its records are fsynced, and appends are written in the order they were submitted.
 *
 * <p>A writer thread writes what {@link #appendAsync} queues. A caller that would only wait for
 * its records, {@link #append}, writes the queue itself instead: the Raft loop saves every Ready
 * that way, and handing each fsync to another thread and back cost two thread wake-ups on the
 * path of every write. One lock, held while a batch is taken and written, keeps the order.
 *
 * <p>After a write or fsync fails, every waiting append fails with that error and every later
 * one is refused: after a failed fsync the state of the page cache is unknown (PostgreSQL's
 * "fsyncgate"), and after a failed write the file may end in a partial record. Restarting and
 * recovering from what is on disk is the only safe way on.
 */
public final class Wal implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(Wal.class);

    private final WalConfig config;
    private final SegmentLog log;
    private final WalQueue queue = new WalQueue();
    // Held while a batch is taken from the queue and written, by whichever thread writes it.
    private final ReentrantLock writing = new ReentrantLock();
    private final Thread writer;

    private Wal(WalConfig config, SegmentLog log) {
        this.config = config;
        this.log = log;
        this.writer = new Thread(this::runWriter, "wal-writer");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /**
     * Creates the log in {@code walDir}, which must hold no segment yet. The first segment holds
     * {@code initial} (a new member's bootstrap entries and hard state) and appears whole or
     * not at all, so a crash while creating leaves either no log or a complete one.
     */
    public static Wal create(FileLayer files, Path walDir, WalConfig config, List<WalRecord> initial)
            throws IOException {
        files.createDirectories(walDir);
        for (Path p : files.list(walDir)) {
            String name = p.getFileName().toString();
            if (SegmentName.parse(name).isPresent()) {
                throw new FileAlreadyExistsException(p.toString(), null, "wal: a log already exists in " + walDir);
            }
            if (name.endsWith(".tmp")) {
                files.delete(p);
            }
        }
        initial.forEach(r -> checkSize(r, config));
        return new Wal(config, SegmentLog.create(files, walDir, config, initial));
    }

    /** Continues a log that {@link WalReader} read and judged recoverable. */
    static Wal open(FileLayer files, Path walDir, WalConfig config, WalContents contents, SegmentLog.State state)
            throws IOException {
        for (Path leftover : contents.leftovers()) {
            files.delete(leftover);
        }
        return new Wal(config, SegmentLog.open(files, walDir, config, contents, state));
    }

    /** Appends and waits until the records are durable; the calling thread writes them. */
    public void append(List<WalRecord> records) throws IOException {
        CompletableFuture<Void> done = queue(records, null);
        writeQueued();
        await(done);
    }

    /**
     * Like {@link #appendAsync(List, Runnable)}, but the writer thread is not told: the caller
     * writes the queue itself with {@link #writeQueued()} next, and only then is the future done.
     */
    public CompletableFuture<Void> queue(List<WalRecord> records, Runnable onDurable) {
        return submit(records, onDurable, false);
    }

    /**
     * Writes everything queued, with one fsync, on the calling thread. When the writer thread
     * has a batch in hand, this waits for it first, so the log keeps the submission order.
     */
    public void writeQueued() {
        writing.lock();
        try {
            List<WalQueue.Request> batch = queue.takeAll();
            if (!batch.isEmpty()) {
                write(batch);
            }
        } finally {
            writing.unlock();
        }
    }

    public CompletableFuture<Void> appendAsync(List<WalRecord> records) {
        return appendAsync(records, null);
    }

    /**
     * Appends {@code records}; the future completes once they are durable, or fails with the
     * {@link IOException} that kept them from it. {@code onDurable}, when given, runs on the
     * thread that wrote the records right before the future completes, in submission order with every other
     * append's: what lets a caller keep an in-memory copy that shows only durable data, in the
     * log's order. It must be quick and must not throw. Stages chained on the future without an
     * executor also run on the writing thread, delaying the next fsync; keep them short too. An
     * empty list is a barrier: it completes once everything submitted before it is durable.
     *
     * @throws IllegalArgumentException when a record exceeds {@link WalConfig#maxRecordBytes()};
     *     then nothing of this call is written
     */
    public CompletableFuture<Void> appendAsync(List<WalRecord> records, Runnable onDurable) {
        return submit(records, onDurable, true);
    }

    private CompletableFuture<Void> submit(List<WalRecord> records, Runnable onDurable, boolean wakeWriter) {
        List<byte[]> frames = new ArrayList<>(records.size());
        for (WalRecord record : records) {
            checkSize(record, config);
            if (record instanceof SegmentHeader) {
                throw new IllegalArgumentException("wal: segment headers are written by the WAL itself");
            }
            frames.add(RecordCodec.frame(record));
        }
        WalQueue.Append append = new WalQueue.Append(List.copyOf(records), frames, onDurable, new CompletableFuture<>());
        queue.submit(append, wakeWriter);
        return append.done();
    }

    /**
     * Deletes the oldest segments whose entries are all at or below {@code index}, once the
     * appends submitted before are durable; the newest segment always stays.
     *
     * @return a future of how many segments were deleted
     */
    public CompletableFuture<Integer> purge(long index) {
        WalQueue.Purge purge = new WalQueue.Purge(index, new CompletableFuture<>());
        queue.submit(purge, true);
        return purge.done();
    }

    private static void checkSize(WalRecord record, WalConfig config) {
        int bytes = RecordCodec.payloadBytes(record);
        if (bytes > config.maxRecordBytes()) {
            String what = record instanceof EntryRecord(var e) ? "entry " + e.index() : "record";
            throw new IllegalArgumentException("wal: max entry size limit exceeded: " + what + " needs " + bytes
                    + " bytes, the limit is " + config.maxRecordBytes() + " bytes (maxRecordBytes)");
        }
    }

    private void runWriter() {
        while (queue.awaitPending()) {
            writeQueued();
        }
    }

    private void write(List<WalQueue.Request> batch) {
        try {
            for (WalQueue.Request request : batch) {
                if (request instanceof WalQueue.Append a) {
                    for (int i = 0; i < a.records().size(); i++) {
                        log.append(a.records().get(i), a.frames().get(i));
                    }
                }
            }
            log.sync();
        } catch (IOException | RuntimeException e) {
            IOException failure = e instanceof IOException io ? io : new IOException("wal: write failed", e);
            LOG.error("wal: a write or fsync failed; refusing every further append until restart", failure);
            queue.fail(failure, batch);
            return;
        }
        batch.forEach(this::complete);
    }

    private void complete(WalQueue.Request request) {
        switch (request) {
            case WalQueue.Append a -> {
                try {
                    if (a.onDurable() != null) {
                        a.onDurable().run();
                    }
                    a.done().complete(null);
                } catch (RuntimeException e) {
                    LOG.error("wal: the callback after a durable append failed", e);
                    a.done().completeExceptionally(e);
                }
            }
            case WalQueue.Purge p -> {
                try {
                    p.done().complete(log.purge(p.index()));
                } catch (IOException | RuntimeException e) {
                    LOG.warn("wal: purging segments up to index {} failed", p.index(), e);
                    p.done().completeExceptionally(e);
                }
            }
        }
    }

    /**
     * Writes what was submitted before, then stops the writer and closes the files. Appends
     * submitted afterwards fail.
     */
    @Override
    public void close() {
        queue.close();
        boolean interrupted = false;
        while (writer.isAlive()) {
            try {
                writer.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        log.close();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits for a future of this WAL, rethrowing its failure as it was raised. */
    static <T> T await(CompletableFuture<T> future) throws IOException {
        try {
            return future.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        }
    }
}
