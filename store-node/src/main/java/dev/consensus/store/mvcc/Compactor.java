package dev.consensus.store.mvcc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes compacted history from RocksDB on a thread of its own, so a large compaction does not
 * hold up the apply path. The index was compacted when the compaction was applied, and no read
 * can ask for what is deleted here, so this needs no lock. Deletes go in batches of {@code
 * compactionBatchLimit}; the last one records the compaction as finished, and open resumes one
 * that a crash interrupted.
 */
final class Compactor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Compactor.class);

    private final RocksBackend backend;
    private final OpenGuard guard;
    private final int batchLimit;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "mvcc-compactor");
        thread.setDaemon(true);
        return thread;
    });

    Compactor(RocksBackend backend, OpenGuard guard, int batchLimit) {
        this.backend = backend;
        this.guard = guard;
        this.batchLimit = batchLimit;
    }

    /** Deletes every stored write at or below {@code revision} that is not in {@code keep}. */
    CompletableFuture<Void> schedule(long revision, Set<Revision> keep) {
        return CompletableFuture.runAsync(() -> compact(revision, keep), executor);
    }

    /** Completes once every compaction scheduled so far has finished (or stopped at close). */
    CompletableFuture<Void> idle() {
        return CompletableFuture.runAsync(() -> { }, executor);
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("physical compaction still running at close; it resumes at the next open");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void compact(long revision, Set<Revision> keep) {
        byte[] cursor = RevisionKey.startOf(0);
        byte[] end = RevisionKey.startOf(revision + 1);
        try {
            while (cursor != null) {
                cursor = deleteBatch(cursor, end, keep);
            }
            try (OpenGuard.Section open = guard.enter(); ApplyBatch batch = new ApplyBatch(backend)) {
                batch.putCompactFinished(revision);
                batch.commit();
            }
        } catch (IllegalStateException closed) {
            LOG.debug("compaction to {} stopped by close; it resumes at the next open", revision);
        } catch (RuntimeException e) {
            LOG.error("compaction to {} failed; it resumes at the next open", revision, e);
        }
    }

    /** Deletes up to one batch of writes from {@code cursor}; returns where to go on, or null when done. */
    private byte[] deleteBatch(byte[] cursor, byte[] end, Set<Revision> keep) {
        try (OpenGuard.Section open = guard.enter();
                ReadOptions options = new ReadOptions();
                RocksIterator it = backend.iterator(backend.kv(), options);
                ApplyBatch batch = new ApplyBatch(backend)) {
            List<byte[]> doomed = new ArrayList<>();
            byte[] next = null;
            for (it.seek(cursor); it.isValid(); it.next()) {
                byte[] key = it.key();
                if (Arrays.compareUnsigned(key, end) >= 0) {
                    break;
                }
                if (doomed.size() == batchLimit) {
                    next = key;
                    break;
                }
                if (!keep.contains(RevisionKey.decode(key).revision())) {
                    doomed.add(key);
                }
            }
            doomed.forEach(batch::deleteKv);
            if (!doomed.isEmpty()) {
                batch.commit();
            }
            return next;
        }
    }
}
