package dev.consensus.store.mvcc;

import com.google.protobuf.ByteString;
import dev.consensus.api.mvccpb.KeyValue;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.function.Supplier;
import org.rocksdb.ReadOptions;
import org.rocksdb.Snapshot;

/**
 * The MVCC key space and leases over RocksDB, in the store's own records. One thread applies
 * (every write takes the state write lock for the whole entry); any number of threads read.
 *
 * <p>Invariant: everything the index and the published revisions ({@code currentRevision},
 * {@code compactRevision}, {@code appliedIndex}) show is already in RocksDB, because an entry's
 * batch, or that of the entries applied together with it, is written before the write lock is
 * released.
 */
final class KvStore implements AutoCloseable {

    /** A granted lease and the revision when it was granted. */
    record Grant(long id, long ttlSeconds, long revision) { }

    private record Compaction(long currentRevision, Set<Revision> keep) { }

    /**
     * Entries being applied as one RocksDB write: the revision and applied position they have
     * reached, and the values they wrote, which RocksDB does not have until the batch is written.
     */
    private static final class Group {
        final ApplyBatch batch;
        final Map<Revision, KeyValue> written = new HashMap<>();
        long revision;
        RaftPosition last;
        boolean changed;

        Group(ApplyBatch batch, long revision) {
            this.batch = batch;
            this.revision = revision;
        }
    }

    @FunctionalInterface
    private interface Body<T> {
        T apply(WriteTxn txn, ApplyBatch batch);
    }

    /** Ranges up to this many keys load their values under the read lock; longer ones from a snapshot. */
    private static final int SMALL_RANGE = 4;

    private final RocksBackend backend;
    private final TreeIndex index;
    private final Lessor lessor;
    private final Compactor compactor;
    private final OpenGuard guard = new OpenGuard();
    private final ReentrantReadWriteLock state = new ReentrantReadWriteLock();
    private volatile Runnable onNewRevision = () -> { };
    private volatile long currentRevision;
    private volatile long compactRevision;
    private volatile long appliedIndex;
    private volatile long appliedTerm;
    private volatile byte[] membership;
    private volatile boolean failed;
    private Group group; // the apply thread's, under the write lock

    private KvStore(RocksBackend backend, MvccConfig config, IndexLoader.Loaded loaded) {
        this.backend = backend;
        this.index = loaded.index();
        this.lessor = loaded.lessor();
        this.compactor = new Compactor(backend, guard, config.compactionBatchLimit());
        StoreMeta meta = loaded.meta();
        this.currentRevision = meta.currentRevision();
        this.compactRevision = meta.compactScheduled();
        this.appliedIndex = meta.appliedIndex();
        this.appliedTerm = meta.appliedTerm();
        this.membership = meta.membership();
        if (loaded.unfinishedKeep() != null) {
            compactor.schedule(meta.compactScheduled(), loaded.unfinishedKeep());
        }
    }

    static KvStore open(Path dir, MvccConfig config) {
        RocksBackend backend = RocksBackend.open(dir);
        try {
            return new KvStore(backend, config, IndexLoader.load(backend, config));
        } catch (RuntimeException e) {
            backend.close();
            throw e;
        }
    }

    /** Called (outside every lock) after each entry that created a new revision. */
    void onNewRevision(Runnable listener) {
        this.onNewRevision = listener;
    }

    long currentRevision() {
        return currentRevision;
    }

    long compactRevision() {
        return compactRevision;
    }

    long appliedIndex() {
        return appliedIndex;
    }

    long appliedTerm() {
        return appliedTerm;
    }

    byte[] membership() {
        return membership.clone();
    }

    RangeResult range(RangeSpec spec) {
        RequestChecks.range(spec);
        try (OpenGuard.Section open = guard.enter()) {
            RangeQuery.Plan plan;
            Snapshot snapshot;
            state.readLock().lock();
            try {
                checkHealthy();
                plan = RangeQuery.plan(index, spec, currentRevision, compactRevision);
                if (plan.revisions().size() <= SMALL_RANGE) {
                    return RangeQuery.assemble(spec, plan, revisions -> revisions.stream().map(this::fetch).toList());
                }
                snapshot = backend.snapshot();
            } finally {
                state.readLock().unlock();
            }
            try (ReadOptions options = new ReadOptions().setSnapshot(snapshot)) {
                return RangeQuery.assemble(spec, plan, revisions -> fetchAll(options, revisions));
            } finally {
                backend.release(snapshot);
            }
        }
    }

    /** A txn whose branches only read; it needs no Raft entry. */
    TxnResult readTxn(TxnSpec spec) {
        RequestChecks.txn(spec, RequestChecks.UNLIMITED_OPS);
        if (!spec.isReadOnly()) {
            throw new IllegalArgumentException("txn writes; apply it through txn(position, ...)");
        }
        try (OpenGuard.Section open = guard.enter()) {
            state.readLock().lock();
            try {
                checkHealthy();
                IndexView view = new IndexView(index, () -> currentRevision, compactRevision, this::fetch);
                TxnRunner.Path path = TxnRunner.path(spec, view);
                TxnRunner.check(spec, path, view, lessor);
                return TxnRunner.run(spec, path, view, null);
            } finally {
                state.readLock().unlock();
            }
        }
    }

    PutResult put(RaftPosition position, PutSpec spec) {
        return applyWrite(position, (txn, batch) -> {
            RequestChecks.put(spec);
            if (spec.lease() != 0 && !lessor.exists(spec.lease())) {
                throw EtcdError.LEASE_NOT_FOUND.exception();
            }
            return txn.put(spec);
        });
    }

    DeleteResult deleteRange(RaftPosition position, DeleteSpec spec) {
        return applyWrite(position, (txn, batch) -> {
            RequestChecks.delete(spec);
            return txn.deleteRange(spec);
        });
    }

    TxnResult txn(RaftPosition position, TxnSpec spec) {
        return applyWrite(position, (txn, batch) -> {
            RequestChecks.txn(spec, RequestChecks.UNLIMITED_OPS);
            IndexView view = txn.view();
            TxnRunner.Path path = TxnRunner.path(spec, view);
            TxnRunner.check(spec, path, view, lessor);
            return TxnRunner.run(spec, path, view, txn);
        });
    }

    /**
     * Compacts the history to {@code revision} and returns the current revision. The index drops
     * the history at once; the disk deletions run after, see {@link #physicalCompaction()}.
     */
    long compact(RaftPosition position, long revision) {
        Compaction compaction = apply(position, (txn, batch) -> {
            if (revision <= compactRevision) {
                throw EtcdError.COMPACTED.exception();
            }
            if (revision > currentRevision) {
                throw EtcdError.FUTURE_REV.exception();
            }
            Set<Revision> keep = index.compact(revision);
            compactRevision = revision;
            batch.putCompactScheduled(revision);
            return new Compaction(currentRevision, keep);
        });
        compactor.schedule(revision, compaction.keep());
        return compaction.currentRevision();
    }

    /** Completes when the disk deletions of every compaction applied so far are done. */
    CompletableFuture<Void> physicalCompaction() {
        return compactor.idle();
    }

    Grant leaseGrant(RaftPosition position, long requestedId, long ttlSeconds) {
        return apply(position, (txn, batch) -> {
            long id = requestedId == 0 ? lessor.chooseId(position) : requestedId;
            long granted = lessor.checkGrant(id, ttlSeconds);
            batch.putLease(id, granted);
            lessor.grant(id, granted);
            return new Grant(id, granted, currentRevision);
        });
    }

    /** Revokes a lease, deleting its keys at one revision; returns the revision after. */
    long leaseRevoke(RaftPosition position, long id) {
        return apply(position, (txn, batch) -> {
            if (!lessor.exists(id)) {
                throw EtcdError.LEASE_NOT_FOUND.exception();
            }
            lessor.keys(id).forEach(txn::deleteKey);
            batch.deleteLease(id);
            lessor.remove(id);
            return txn.changed() ? txn.writeRevision() : currentRevision;
        });
    }

    void applyMembership(RaftPosition position, byte[] bytes) {
        byte[] copy = bytes.clone();
        apply(position, (txn, batch) -> {
            batch.putMembership(copy);
            // Published under the write lock, with the applied index, so a checkpoint sees both or neither.
            membership = copy;
            return null;
        });
    }

    void markApplied(RaftPosition position) {
        apply(position, (txn, batch) -> null);
    }

    LeaseInfo lease(long id) {
        return read(() -> lessor.info(id));
    }

    List<Long> leases() {
        return read(lessor::ids);
    }

    /**
     * The stored writes of main revisions {@code from..to}, in order, or null when {@code from} is
     * below the compact revision (the history is gone).
     */
    List<HistoryReader.HistoryEvent> history(long from, long to) {
        try (OpenGuard.Section open = guard.enter()) {
            state.readLock().lock();
            try {
                checkHealthy();
                if (from < compactRevision) {
                    return null;
                }
                return HistoryReader.read(backend, from, to);
            } finally {
                state.readLock().unlock();
            }
        }
    }

    /** The key as it was at {@code revision}, or null if it did not exist or that is compacted. */
    KeyValue getAt(ByteString key, long revision) {
        return read(() -> {
            if (revision < compactRevision || revision > currentRevision) {
                return null;
            }
            KeyIndex.Found found = index.get(key, revision);
            return found == null ? null : fetch(found.modified());
        });
    }

    void defragment() {
        try (OpenGuard.Section open = guard.enter()) {
            backend.compactAll();
        }
    }

    int hashAll() {
        return exclusive(RocksBackend::hashKeyValues);
    }

    /** Flushes the memtables without stopping writes; see {@link RocksBackend#flush()}. */
    void flush() {
        try (OpenGuard.Section open = guard.enter()) {
            backend.flush();
        }
    }

    long sizeBytes() {
        try (OpenGuard.Section open = guard.enter()) {
            return backend.liveDataBytes();
        }
    }

    /**
     * Runs {@code body} with the state write lock held, so no entry is applied meanwhile; used to
     * take a checkpoint whose data and applied index agree.
     */
    <T> T exclusive(Function<RocksBackend, T> body) {
        try (OpenGuard.Section open = guard.enter()) {
            state.writeLock().lock();
            try {
                checkHealthy();
                return body.apply(backend);
            } finally {
                state.writeLock().unlock();
            }
        }
    }

    @Override
    public void close() {
        compactor.close();
        if (guard.close()) {
            backend.close();
        }
    }

    /**
     * Applies the entries {@code body} applies (puts, deletes and txns, each through its own
     * method) as one RocksDB write, and publishes what they changed at once when it ends. Each
     * entry is still its own unit: a refused one takes back only its own changes, and each sees
     * the ones before it. One write per entry cost more than the entry's own work (RocksDB's
     * write path: its queue, its mutex and sequence numbers, the applied index and revision
     * written again each time).
     */
    void applyTogether(Runnable body) {
        together(() -> {
            body.run();
            return null;
        });
    }

    /** An entry that writes keys: it may join the entries being applied together. */
    private <T> T applyWrite(RaftPosition position, Body<T> body) {
        Group open = state.isWriteLockedByCurrentThread() ? group : null;
        return open != null ? applyTo(open, position, body) : together(() -> applyTo(group, position, body));
    }

    /** Any other entry: applied and published on its own. */
    private <T> T apply(RaftPosition position, Body<T> body) {
        if (state.isWriteLockedByCurrentThread() && group != null) {
            throw new IllegalStateException("only puts, deletes and txns are applied together");
        }
        return together(() -> applyTo(group, position, body));
    }

    private <T> T together(Supplier<T> body) {
        Group applying;
        T result = null;
        EtcdException refusal = null;
        try (OpenGuard.Section open = guard.enter()) {
            state.writeLock().lock();
            try {
                checkHealthy();
                applying = new Group(new ApplyBatch(backend), currentRevision);
                group = applying;
                try {
                    result = body.get();
                } catch (EtcdException e) {
                    refusal = e;
                } catch (RuntimeException e) {
                    // Entries applied before it are in the index but not on disk: reopening
                    // rebuilds from disk, which has none of them.
                    failed |= applying.last != null;
                    applying.batch.close();
                    throw e;
                } finally {
                    group = null;
                }
                commit(applying);
            } finally {
                state.writeLock().unlock();
            }
        }
        if (applying.changed) {
            onNewRevision.run();
        }
        if (refusal != null) {
            throw refusal;
        }
        return result;
    }

    private <T> T applyTo(Group applying, RaftPosition position, Body<T> body) {
        checkHealthy();
        long applied = applying.last != null ? applying.last.index() : appliedIndex;
        if (position.index() <= applied) {
            throw new AlreadyAppliedException(applied, position.index());
        }
        ApplyBatch batch = applying.batch;
        batch.mark();
        WriteTxn txn = new WriteTxn(index, lessor, batch, applying.revision, compactRevision, applying.written,
                this::fetch);
        T result;
        try {
            result = body.apply(txn, batch);
        } catch (EtcdException refusal) {
            txn.rollback();
            batch.rollbackToMark();
            applying.last = position;
            throw refusal;
        } catch (RuntimeException e) {
            // Not a refusal but a fault: state outside the txn (leases, compaction) may be
            // half-changed, so stop here; reopening rebuilds from disk, which has none of it.
            failed = true;
            throw e;
        }
        batch.keepSinceMark();
        if (txn.changed()) {
            applying.revision++;
            applying.changed = true;
        }
        applying.last = position;
        return result;
    }

    private void commit(Group applied) {
        try (ApplyBatch batch = applied.batch) {
            if (applied.last == null) {
                return;
            }
            if (applied.changed) {
                batch.putCurrentRevision(applied.revision);
            }
            batch.putApplied(applied.last);
            batch.commit();
        } catch (RuntimeException e) {
            failed = true;
            throw e;
        }
        currentRevision = applied.revision;
        appliedIndex = applied.last.index();
        appliedTerm = applied.last.term();
    }

    private <T> T read(Supplier<T> body) {
        try (OpenGuard.Section open = guard.enter()) {
            state.readLock().lock();
            try {
                checkHealthy();
                return body.get();
            } finally {
                state.readLock().unlock();
            }
        }
    }

    private KeyValue fetch(Revision revision) {
        return StoredKvs.get(backend, revision);
    }

    private List<KeyValue> fetchAll(ReadOptions options, List<Revision> revisions) {
        return StoredKvs.getAll(backend, options, revisions);
    }

    private void checkHealthy() {
        if (failed) {
            throw new MvccStorageException("an earlier entry failed with a fault (see the log); reopen the store to recover");
        }
    }
}
