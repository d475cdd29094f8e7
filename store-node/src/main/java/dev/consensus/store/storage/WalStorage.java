package dev.consensus.store.storage;

import dev.consensus.store.raft.ClusterBootstrap;
import dev.consensus.store.raft.ConfState;
import dev.consensus.store.raft.Entry;
import dev.consensus.store.raft.HardState;
import dev.consensus.store.raft.LogStorage;
import dev.consensus.store.raft.MemoryStorage;
import dev.consensus.store.raft.Snapshot;
import dev.consensus.store.raft.SnapshotMetadata;
import dev.consensus.store.storage.WalRecord.EntryRecord;
import dev.consensus.store.storage.WalRecord.HardStateRecord;
import dev.consensus.store.storage.WalRecord.SnapshotRecord;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable {@link LogStorage}: every change is written to the {@link Wal} and fsynced before
 * it shows, and reads come from an in-memory copy of the log since the snapshot, as etcd keeps
 * its Raft log in memory. The copy is a {@link MemoryStorage}, so the two implementations follow
 * one set of rules; the copy changes only after the WAL reports a change durable, in WAL order.
 *
 * <p>Reads may come from any thread. Writes may too: each write is ordered when it is submitted,
 * and concurrent {@link #saveAsync} calls share fsyncs. Failures of the disk surface as
 * {@link UncheckedIOException}; after one, every write fails and the node must restart.
 *
 * <p>After a restart the log begins right after the snapshot: entries a snapshot covers but
 * that were not yet compacted are not kept (the latest snapshot serves members that need them).
 */
public final class WalStorage implements LogStorage, Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(WalStorage.class);

    private final WalConfig config;
    private final Wal wal;
    private final SnapshotStore snapshots;
    private final MemoryStorage memory;
    private final RecoveryReport report;
    private final ReentrantLock writeLock = new ReentrantLock();
    private long submittedLastIndex;

    private WalStorage(WalConfig config, Wal wal, SnapshotStore snapshots, MemoryStorage memory, RecoveryReport report) {
        this.config = config;
        this.wal = wal;
        this.snapshots = snapshots;
        this.memory = memory;
        this.report = report;
        this.submittedLastIndex = memory.lastIndex();
    }

    /** Storage for a member of a new cluster: {@link ClusterBootstrap}'s entries and hard state. */
    public static WalStorage createMember(MemberDir dir, ConfState members, WalConfig config, FileLayer files)
            throws IOException {
        return createMember(dir, members, id -> new byte[0], config, files);
    }

    /** As above, each bootstrap membership change carrying the server's context for its member. */
    public static WalStorage createMember(MemberDir dir, ConfState members, LongFunction<byte[]> context,
            WalConfig config, FileLayer files) throws IOException {
        List<Entry> bootstrap = ClusterBootstrap.entries(members, context);
        List<WalRecord> initial = new ArrayList<>();
        bootstrap.forEach(e -> initial.add(new EntryRecord(e)));
        initial.add(new HardStateRecord(ClusterBootstrap.hardState(members)));
        return create(dir, config, files, initial, MemoryStorage.bootstrap(members, bootstrap));
    }

    /** Storage for a member that joins an existing cluster and learns everything from it. */
    public static WalStorage createJoining(MemberDir dir, WalConfig config, FileLayer files) throws IOException {
        return create(dir, config, files, List.of(), MemoryStorage.joining());
    }

    private static WalStorage create(MemberDir dir, WalConfig config, FileLayer files, List<WalRecord> initial,
            MemoryStorage memory) throws IOException {
        files.createDirectories(dir.snap());
        Wal wal = Wal.create(files, dir.wal(), config, initial);
        return new WalStorage(config, wal, new SnapshotStore(files, dir.snap()), memory,
                RecoveryReport.created(memory.lastIndex()));
    }

    /** Whether {@code dir} holds a WAL to {@link #open}. */
    public static boolean exists(MemberDir dir, FileLayer files) throws IOException {
        if (!files.exists(dir.wal())) {
            return false;
        }
        return files.list(dir.wal()).stream().anyMatch(p -> SegmentName.parse(p.getFileName().toString()).isPresent());
    }

    /**
     * Recovers a member's storage after a restart or a crash (docs/storage.md).
     *
     * @throws StorageCorruptionException when the data is damaged in a way no crash explains;
     *     nothing on disk was changed then
     */
    public static WalStorage open(MemberDir dir, WalConfig config, FileLayer files) throws IOException {
        SnapshotStore snapshots = new SnapshotStore(files, dir.snap());
        StorageRecovery.Result recovered = StorageRecovery.read(files, dir.wal(), snapshots);
        files.createDirectories(dir.snap());
        StorageRecovery.repairSnapshots(files, snapshots, recovered);
        Snapshot snapshot = recovered.snapshot();
        SegmentLog.State state = new SegmentLog.State(recovered.hardState(),
                new SnapshotRecord(snapshot.index(), snapshot.term(), false), recovered.lastIndex());
        Wal wal = Wal.open(files, dir.wal(), config, recovered.contents(), state);
        MemoryStorage memory = new MemoryStorage(snapshot);
        memory.append(recovered.entries());
        memory.setHardState(recovered.hardState());
        RecoveryReport report = recovered.report(snapshots);
        LOG.info("wal: recovered {} records from {} segment(s) in {}: snapshot at index {}, entries up to {}, {}",
                report.records(), report.segments().size(), dir.wal(), report.snapshotIndex(), report.lastIndex(),
                recovered.hardState());
        return new WalStorage(config, wal, snapshots, memory, report);
    }

    public RecoveryReport recoveryReport() {
        return report;
    }

    @Override
    public HardState hardState() {
        return read(MemoryStorage::hardState);
    }

    @Override
    public Snapshot snapshot() {
        return read(MemoryStorage::snapshot);
    }

    @Override
    public long firstIndex() {
        return read(MemoryStorage::firstIndex);
    }

    @Override
    public long lastIndex() {
        return read(MemoryStorage::lastIndex);
    }

    @Override
    public long term(long index) {
        synchronized (memory) {
            return memory.term(index);
        }
    }

    @Override
    public List<Entry> entries(long lo, long hi, long maxBytes) {
        synchronized (memory) {
            return memory.entries(lo, hi, maxBytes);
        }
    }

    private <T> T read(Function<MemoryStorage, T> getter) {
        synchronized (memory) {
            return getter.apply(memory);
        }
    }

    @Override
    public void append(List<Entry> entries) {
        save(null, entries);
    }

    @Override
    public void setHardState(HardState hardState) {
        save(hardState, List.of());
    }

    /** Persists a Ready's entries and then its hard state (either may be absent) with one fsync. */
    public void save(HardState hardState, List<Entry> entries) {
        CompletableFuture<Void> done = submit(hardState, entries, false);
        // Written here rather than by the WAL's writer thread: the caller would only wait for it.
        wal.writeQueued();
        join(done);
    }

    /**
     * Submits a Ready's entries and hard state, in that order, and returns at once; the future
     * completes once they are durable and visible to reads. Calls are ordered as submitted, so
     * the next Ready may be submitted before this one completes.
     *
     * @param hardState the new hard state, or null when it did not change
     * @throws IllegalArgumentException when the entries leave a gap, reach into compacted
     *     entries, or one exceeds {@link WalConfig#maxRecordBytes()}; nothing is written then
     */
    public CompletableFuture<Void> saveAsync(HardState hardState, List<Entry> entries) {
        return submit(hardState, entries, true);
    }

    private CompletableFuture<Void> submit(HardState hardState, List<Entry> entries, boolean byWriterThread) {
        List<Entry> batch = List.copyOf(entries);
        writeLock.lock();
        try {
            checkAppend(batch);
            List<WalRecord> records = new ArrayList<>(batch.size() + 1);
            batch.forEach(e -> records.add(new EntryRecord(e)));
            if (hardState != null) {
                records.add(new HardStateRecord(hardState));
            }
            if (records.isEmpty()) {
                return CompletableFuture.completedFuture(null);
            }
            Runnable onDurable = () -> update(m -> {
                m.append(batch);
                if (hardState != null) {
                    m.setHardState(hardState);
                }
            });
            CompletableFuture<Void> done = byWriterThread ? wal.appendAsync(records, onDurable)
                    : wal.queue(records, onDurable);
            if (!batch.isEmpty()) {
                submittedLastIndex = batch.getLast().index();
            }
            return done;
        } finally {
            writeLock.unlock();
        }
    }

    private void checkAppend(List<Entry> batch) {
        if (batch.isEmpty()) {
            return;
        }
        long first = batch.getFirst().index();
        for (int i = 1; i < batch.size(); i++) {
            if (batch.get(i).index() != first + i) {
                throw new IllegalArgumentException("append of non-consecutive entries: " + batch.get(i).index()
                        + " follows " + batch.get(i - 1).index());
            }
        }
        if (first > submittedLastIndex + 1) {
            throw new IllegalArgumentException("append at " + first + " leaves a gap after " + submittedLastIndex);
        }
        long compacted = read(MemoryStorage::firstIndex) - 1;
        if (first <= compacted) {
            throw new IllegalArgumentException("append at " + first + " overwrites compacted entries up to " + compacted);
        }
    }

    @Override
    public void applySnapshot(Snapshot incoming) {
        writeLock.lock();
        try {
            barrier();
            long held = read(MemoryStorage::snapshot).index();
            if (incoming.index() < held) {
                throw new IllegalArgumentException("snapshot at " + incoming.index()
                        + " is older than the held one at " + held);
            }
            snapshots.save(incoming);
            join(wal.appendAsync(List.of(new SnapshotRecord(incoming.index(), incoming.term(), true)),
                    () -> update(m -> m.applySnapshot(incoming))));
            submittedLastIndex = incoming.index();
            snapshots.retainNewest(config.snapshotsToKeep(), SnapshotFile.of(incoming));
            join(wal.purge(incoming.index()));
        } catch (IOException e) {
            throw failed("applying a snapshot", e);
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public void createSnapshot(long index, ConfState confState, byte[] data) {
        writeLock.lock();
        try {
            barrier();
            Snapshot snapshot;
            synchronized (memory) {
                if (index <= memory.snapshot().index()) {
                    return;
                }
                if (index > memory.lastIndex()) {
                    throw new IllegalArgumentException("snapshot at " + index + " is past the last " + memory.lastIndex());
                }
                snapshot = new Snapshot(new SnapshotMetadata(index, memory.term(index), confState), data);
            }
            snapshots.save(snapshot);
            join(wal.appendAsync(List.of(new SnapshotRecord(index, snapshot.term(), false)),
                    () -> update(m -> m.createSnapshot(index, confState, data))));
            snapshots.retainNewest(config.snapshotsToKeep(), SnapshotFile.of(snapshot));
        } catch (IOException e) {
            throw failed("saving a snapshot", e);
        } finally {
            writeLock.unlock();
        }
    }

    /** Drops entries up to {@code index} from memory and deletes the segments that held only those. */
    @Override
    public void compact(long index) {
        writeLock.lock();
        try {
            barrier();
            update(m -> m.compact(index));
            join(wal.purge(index));
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Waits until every write submitted so far is durable and in memory, so that checks against
     * the in-memory log see them. Snapshots and compaction are rare; this costs them no fsync.
     */
    private void barrier() {
        join(wal.appendAsync(List.of()));
    }

    private void update(Consumer<MemoryStorage> change) {
        synchronized (memory) {
            change.accept(memory);
        }
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return Wal.await(future);
        } catch (IOException e) {
            throw failed("writing the WAL", e);
        }
    }

    private static UncheckedIOException failed(String what, IOException e) {
        return new UncheckedIOException("storage: " + what + " failed: " + e.getMessage(), e);
    }

    /** Writes what was submitted, then closes the files. */
    @Override
    public void close() {
        wal.close();
    }
}
