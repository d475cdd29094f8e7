package dev.consensus.store.storage;

import dev.consensus.store.raft.ConfState;
import dev.consensus.store.raft.Entry;
import dev.consensus.store.raft.HardState;
import dev.consensus.store.raft.Snapshot;
import dev.consensus.store.raft.SnapshotMetadata;
import dev.consensus.store.storage.CrashModel.Change;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Drives a {@link WalStorage} the way a Raft node does, at random: new entries, overwrites of
 * an uncommitted suffix by a new leader, hard state changes, snapshots with compaction, a
 * snapshot installed from a leader, and sometimes bursts from several threads. Every call is
 * recorded in the {@link CrashModel} before it is made. It stops at the first failure, which is
 * the simulated crash.
 */
final class CrashWorkload {

    private static final ConfState MEMBERS = ConfState.ofVoters(1L, 2L, 3L);
    private static final ConfState WITH_LEARNER = new ConfState(Set.of(1L, 2L, 3L), Set.of(4L));

    private final SplittableRandom random;
    private final WalStorage storage;
    private final CrashModel model;
    private final int maxData;
    private final boolean threaded;
    private long term = 1;
    private long vote;
    private long commit;

    CrashWorkload(SplittableRandom random, WalStorage storage, CrashModel model, WalConfig config, boolean threaded) {
        this.random = random;
        this.storage = storage;
        this.model = model;
        this.maxData = config.maxRecordBytes() - RecordCodec.ENTRY_OVERHEAD;
        this.threaded = threaded;
        this.commit = storage.hardState().commit();
        this.term = Math.max(1, storage.hardState().term());
    }

    /** Runs up to {@code steps} calls; false once one failed (the crash). */
    boolean run(int steps) throws InterruptedException {
        for (int i = 0; i < steps; i++) {
            if (!step()) {
                return false;
            }
        }
        return true;
    }

    private boolean step() throws InterruptedException {
        int r = random.nextInt(100);
        if (r < 35) {
            return save(newEntries(1 + random.nextInt(6)), null);
        } else if (r < 50) {
            List<Entry> entries = newEntries(1 + random.nextInt(4));
            return save(entries, nextHardState(entries.getLast().index()));
        } else if (r < 60) {
            return save(List.of(), nextHardState(storage.lastIndex()));
        } else if (r < 70) {
            return overwrite();
        } else if (r < 77) {
            return snapshotAndCompact();
        } else if (r < 79) {
            return installSnapshot();
        } else if (r < 84 && threaded) {
            return burst();
        }
        return save(newEntries(1 + random.nextInt(3)), null);
    }

    private byte[] data() {
        int r = random.nextInt(100);
        int size = r < 60 ? random.nextInt(64) : r < 90 ? 64 + random.nextInt(960) : r < 98
                ? 1024 + random.nextInt(2000) : maxData;
        byte[] data = new byte[Math.min(size, maxData)];
        random.nextBytes(data);
        return data;
    }

    private List<Entry> newEntries(int count) {
        return entriesFrom(storage.lastIndex() + 1, count);
    }

    private List<Entry> entriesFrom(long first, int count) {
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(Entry.normal(first + i, term, data()));
        }
        return out;
    }

    private HardState nextHardState(long lastIndex) {
        if (random.nextInt(3) == 0) {
            term++;
            vote = random.nextInt(4);
        }
        commit = commit + (lastIndex > commit ? random.nextLong(lastIndex - commit + 1) : 0);
        return new HardState(term, vote, commit);
    }

    private boolean save(List<Entry> entries, HardState hardState) {
        List<Change> changes = new ArrayList<>();
        entries.forEach(e -> changes.add(new Change.Append(e)));
        if (hardState != null) {
            changes.add(new Change.Hard(hardState));
        }
        return call("save " + entries.size() + (hardState != null ? " + " + hardState : ""), changes,
                () -> storage.save(hardState, entries));
    }

    /** A new leader overwrites an uncommitted suffix. */
    private boolean overwrite() {
        long last = storage.lastIndex();
        if (last <= commit) {
            return save(newEntries(1), null);
        }
        long from = commit + 1 + random.nextLong(last - commit);
        term++;
        return save(entriesFrom(from, 1 + random.nextInt(5)), null);
    }

    private boolean snapshotAndCompact() {
        long snapshotIndex = storage.snapshot().index();
        if (commit <= snapshotIndex) {
            return true;
        }
        long index = snapshotIndex + 1 + random.nextLong(commit - snapshotIndex);
        ConfState conf = random.nextBoolean() ? MEMBERS : WITH_LEARNER;
        byte[] data = new byte[random.nextInt(200)];
        random.nextBytes(data);
        if (!call("snapshot at " + index, List.of(new Change.Taken(index, conf, data)),
                () -> storage.createSnapshot(index, conf, data))) {
            return false;
        }
        if (random.nextInt(4) == 0) {
            return true;
        }
        long compactTo = storage.firstIndex() - 1 + random.nextLong(index - storage.firstIndex() + 2);
        return call("compact to " + compactTo, List.of(), () -> storage.compact(compactTo));
    }

    /** A leader sends a snapshot past this member's commit index; a new term comes with it. */
    private boolean installSnapshot() {
        long from = Math.max(commit, storage.snapshot().index());
        long index = from + random.nextLong(storage.lastIndex() - from + 6);
        term++;
        byte[] data = new byte[random.nextInt(300)];
        random.nextBytes(data);
        Snapshot snapshot = new Snapshot(new SnapshotMetadata(index, term, MEMBERS), data);
        if (!call("install snapshot at " + index, List.of(new Change.Installed(snapshot)),
                () -> storage.applySnapshot(snapshot))) {
            return false;
        }
        commit = index;
        return save(List.of(), new HardState(term, vote, commit));
    }

    private boolean call(String label, List<Change> changes, Runnable call) {
        CrashModel.Op op = model.submitted(label, changes);
        try {
            call.run();
        } catch (UncheckedIOException e) {
            return false;
        }
        op.acked = true;
        return true;
    }

    /**
     * Several threads submit appends without waiting for each other: each takes the next index
     * and submits under one lock (so the model sees the storage's order), then waits alone.
     */
    private boolean burst() throws InterruptedException {
        int threads = 2 + random.nextInt(3);
        int perThread = 2 + random.nextInt(5);
        List<List<byte[]>> payloads = new ArrayList<>();
        for (int t = 0; t < threads * perThread; t++) {
            List<byte[]> batch = new ArrayList<>();
            for (int n = 1 + random.nextInt(3); n > 0; n--) {
                batch.add(data());
            }
            payloads.add(batch);
        }
        Object order = new Object();
        long[] next = {storage.lastIndex() + 1};
        long batchTerm = term;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                List<List<byte[]>> mine = payloads.subList(t * perThread, (t + 1) * perThread);
                results.add(pool.submit(() -> appendAll(mine, order, next, batchTerm)));
            }
            boolean ok = true;
            for (Future<Boolean> f : results) {
                ok &= get(f);
            }
            return ok;
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(30, TimeUnit.SECONDS);
        }
    }

    private boolean appendAll(List<List<byte[]>> batches, Object order, long[] next, long batchTerm) {
        boolean ok = true;
        for (List<byte[]> batch : batches) {
            CompletableFuture<Void> done;
            CrashModel.Op op;
            synchronized (order) {
                List<Entry> entries = new ArrayList<>();
                for (byte[] data : batch) {
                    entries.add(Entry.normal(next[0]++, batchTerm, data));
                }
                List<Change> changes = new ArrayList<>();
                entries.forEach(e -> changes.add(new Change.Append(e)));
                op = model.submitted("threaded save " + entries.getFirst().index(), changes);
                done = storage.saveAsync(null, entries);
            }
            try {
                done.join();
                op.acked = true;
            } catch (CompletionException e) {
                ok = false;
            }
        }
        return ok;
    }

    private static boolean get(Future<Boolean> f) throws InterruptedException {
        try {
            return f.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            if (e instanceof InterruptedException ie) {
                throw ie;
            }
            throw new AssertionError("a burst thread failed", e);
        }
    }
}
