package dev.consensus.store.mvcc;

import dev.consensus.api.etcdserverpb.CompactionRequest;
import dev.consensus.api.etcdserverpb.CompactionResponse;
import dev.consensus.api.etcdserverpb.DeleteRangeRequest;
import dev.consensus.api.etcdserverpb.DeleteRangeResponse;
import dev.consensus.api.etcdserverpb.LeaseGrantRequest;
import dev.consensus.api.etcdserverpb.LeaseGrantResponse;
import dev.consensus.api.etcdserverpb.LeaseRevokeRequest;
import dev.consensus.api.etcdserverpb.LeaseRevokeResponse;
import dev.consensus.api.etcdserverpb.PutRequest;
import dev.consensus.api.etcdserverpb.PutResponse;
import dev.consensus.api.etcdserverpb.RangeRequest;
import dev.consensus.api.etcdserverpb.RangeResponse;
import dev.consensus.api.etcdserverpb.TxnRequest;
import dev.consensus.api.etcdserverpb.TxnResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The replicated state machine: etcd's MVCC key space, leases and watches on RocksDB. The server
 * applies each committed Raft entry with one write method, passing the entry's {@link
 * RaftPosition}; reads and watches are served from what has been applied.
 *
 * <p>Promises:
 * <ul>
 *   <li>Every write method applies one Raft entry in one atomic RocksDB write that also records
 *       the entry's index and term, so after a crash {@link #appliedIndex()} says exactly which
 *       entries the data reflects: replay from the next one.</li>
 *   <li>A write whose index is not above {@link #appliedIndex()} changes nothing and throws
 *       {@link AlreadyAppliedException}.</li>
 *   <li>A write refused with an etcd error throws {@link EtcdException} after recording its index:
 *       the entry is applied, as a no-op, on every replica alike.</li>
 *   <li>Responses carry the revision in their header; cluster id, member id and raft term are the
 *       server's to fill in.</li>
 *   <li>RocksDB writes skip its WAL: a crash, even of the process alone, may lose what is not
 *       flushed yet, which the Raft WAL replays; {@link #flush()} makes all of it durable, as a
 *       checkpoint does before the Raft log is compacted.</li>
 * </ul>
 *
 * <p>Threading: the write methods are meant for one apply thread; reads, lease queries and watch
 * streams may be used from any thread. docs/storage.md (its state machine part) has the details.
 */
public final class MvccStore implements AutoCloseable {

    private final KvStore kv;
    private final MvccConfig config;
    private final WatchHub watches = new WatchHub();

    private MvccStore(KvStore kv, MvccConfig config) {
        this.kv = kv;
        this.config = config;
        kv.onNewRevision(watches::wakeAll);
    }

    /** Opens (or creates) the store in {@code dir}, rebuilding the index from what is on disk. */
    public static MvccStore open(Path dir, MvccConfig config) {
        return new MvccStore(KvStore.open(dir, config), config);
    }

    /**
     * Copies a checkpoint made by {@link #checkpoint} into {@code dataDir}, which must be absent or
     * empty; opening that directory then gives the checkpoint's state.
     */
    public static SnapshotInfo restore(Path checkpoint, Path dataDir) {
        return Checkpoints.restore(checkpoint, dataDir);
    }

    /**
     * Seeds a member of a new cluster with another cluster's data (a snapshot restore): copies
     * the checkpoint into {@code dataDir} as {@link #restore} does, then forgets the Raft entry it
     * applied last and the membership it recorded, keeping every key, revision, lease and
     * compaction. The new cluster's first entries then apply to it as to an empty store.
     */
    public static SnapshotInfo restoreForNewCluster(Path checkpoint, Path dataDir) {
        SnapshotInfo info = Checkpoints.restore(checkpoint, dataDir);
        try (RocksBackend backend = RocksBackend.open(dataDir); ApplyBatch batch = new ApplyBatch(backend)) {
            batch.deleteMeta(StoreMeta.APPLIED);
            batch.deleteMeta(StoreMeta.MEMBERSHIP);
            batch.commit();
        }
        return info;
    }

    /** Reads the metadata of a checkpoint without opening it. */
    public static SnapshotInfo checkpointInfo(Path checkpoint) {
        return Checkpoints.readInfo(checkpoint);
    }

    // ---- reads (serializable: of the applied state) ----

    public RangeResponse range(RangeRequest request) {
        return ProtoResponses.range(kv.range(ProtoRequests.range(request)));
    }

    /** A txn that only reads (etcd serves these without Raft); a txn that writes is refused. */
    public TxnResponse readTxn(TxnRequest request) {
        return ProtoResponses.txn(kv.readTxn(ProtoRequests.txn(request)));
    }

    // ---- writes (one per applied Raft entry) ----

    /**
     * Runs {@code body}, whose {@link #put}, {@link #deleteRange} and {@link #txn} calls are then
     * written to RocksDB together, once it returns, and become visible to readers and watchers
     * all at once. Each entry still succeeds or is refused on its own. No other write may be
     * called inside.
     */
    public void applyTogether(Runnable body) {
        kv.applyTogether(body);
    }

    public PutResponse put(RaftPosition position, PutRequest request) {
        return ProtoResponses.put(kv.put(position, ProtoRequests.put(request)));
    }

    public DeleteRangeResponse deleteRange(RaftPosition position, DeleteRangeRequest request) {
        return ProtoResponses.delete(kv.deleteRange(position, ProtoRequests.delete(request)));
    }

    public TxnResponse txn(RaftPosition position, TxnRequest request) {
        return ProtoResponses.txn(kv.txn(position, ProtoRequests.txn(request)));
    }

    /**
     * Compacts the history to the request's revision. Reads and watches below it fail from now on;
     * the disk space is freed in the background (see {@link #physicalCompaction()}, which a
     * request with {@code physical} set should wait for before answering, as etcd does).
     */
    public CompactionResponse compact(RaftPosition position, CompactionRequest request) {
        // Watchers that were caught up read what they still need before the history goes. A
        // compaction that will be refused (compacted or future revision) removes nothing.
        long target = request.getRevision();
        if (target > kv.compactRevision() && target <= kv.currentRevision()) {
            watches.awaitCaughtUp(target, config.compactionWatchWaitMillis());
        }
        long revision = kv.compact(position, request.getRevision());
        return CompactionResponse.newBuilder().setHeader(ProtoResponses.header(revision)).build();
    }

    /** Completes when the disk deletions of every compaction applied so far are done. */
    public CompletableFuture<Void> physicalCompaction() {
        return kv.physicalCompaction();
    }

    /**
     * Grants a lease. ID 0 picks one deterministically from the Raft index (etcd picks it before
     * proposing; either way all replicas agree). The TTL is raised to the configured minimum.
     */
    public LeaseGrantResponse leaseGrant(RaftPosition position, LeaseGrantRequest request) {
        KvStore.Grant grant = kv.leaseGrant(position, request.getID(), request.getTTL());
        return LeaseGrantResponse.newBuilder().setHeader(ProtoResponses.header(grant.revision()))
                .setID(grant.id()).setTTL(grant.ttlSeconds()).build();
    }

    /** Revokes a lease (on request, or on expiry as the leader proposes it): its keys go at one revision. */
    public LeaseRevokeResponse leaseRevoke(RaftPosition position, LeaseRevokeRequest request) {
        long revision = kv.leaseRevoke(position, request.getID());
        return LeaseRevokeResponse.newBuilder().setHeader(ProtoResponses.header(revision)).build();
    }

    /** Records the membership after a configuration change entry, as opaque bytes. */
    public void applyMembership(RaftPosition position, byte[] membership) {
        kv.applyMembership(position, membership);
    }

    /** Records an entry that changes nothing here (an empty entry, a request for another part). */
    public void markApplied(RaftPosition position) {
        kv.markApplied(position);
    }

    // ---- state ----

    public long appliedIndex() {
        return kv.appliedIndex();
    }

    public long appliedTerm() {
        return kv.appliedTerm();
    }

    public long currentRevision() {
        return kv.currentRevision();
    }

    /** The revision of the last compaction, 0 if there was none. */
    public long compactRevision() {
        return Math.max(0, kv.compactRevision());
    }

    /** The membership bytes last applied, empty if none. */
    public byte[] membership() {
        return kv.membership();
    }

    /** The lease's granted TTL and keys, or empty if it does not exist. */
    public Optional<LeaseInfo> lease(long id) {
        return Optional.ofNullable(kv.lease(id));
    }

    /** Every lease id, ascending. */
    public List<Long> leases() {
        return kv.leases();
    }

    /** Bytes of data files on disk (etcd's dbSize is the closest). */
    /** etcd's Defragment: rewrites the database files without compacted or deleted data. */
    public void defragment() {
        kv.defragment();
    }

    /** etcd's Hash: a checksum of the whole key-value data, equal on members that applied the same entries. */
    public int hash() {
        return kv.hashAll();
    }

    /**
     * etcd's HashKV: a checksum of every stored write from the compact revision up to
     * {@code revision} (0 for the current one), read in bounded chunks. Members that applied the
     * same entries agree on it; that is what the corruption check compares.
     */
    public HashKv hashKv(long revision) {
        long compact = kv.compactRevision();
        long to = revision <= 0 ? kv.currentRevision() : revision;
        if (to > kv.currentRevision()) {
            throw EtcdError.FUTURE_REV.exception();
        }
        if (to < compact) {
            throw EtcdError.COMPACTED.exception();
        }
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        long from = Math.max(compact, 1);
        while (from <= to) {
            long until = Math.min(to, from + 999);
            List<HistoryReader.HistoryEvent> events = kv.history(from, until);
            if (events == null) {
                throw EtcdError.COMPACTED.exception();
            }
            for (HistoryReader.HistoryEvent e : events) {
                crc.update(e.event().toByteArray());
            }
            from = until + 1;
        }
        return new HashKv((int) crc.getValue(), compact, to);
    }

    /** A HashKV answer: the checksum, the compact revision it starts from, the revision it ends at. */
    public record HashKv(int hash, long compactRevision, long revision) { }

    public long sizeBytes() {
        return kv.sizeBytes();
    }

    public MvccConfig config() {
        return config;
    }

    // ---- watches ----

    /**
     * The server's periodic tick: on every open stream, each watch created with progress_notify
     * that is caught up and got no events since the last tick hears the current revision.
     */
    public void watchProgressTick() {
        watches.progressTickAll();
    }

    /** Opens a stream of watches whose responses go to {@code listener} (see {@link WatchStream}). */
    public WatchStream openWatchStream(WatchListener listener) {
        WatchDispatcher dispatcher = new WatchDispatcher(kv,
                message -> listener.onResponse(ProtoResponses.watch(message)),
                config.watchBatchMaxRevisions(),
                stopped -> {
                    watches.remove(stopped);
                    listener.onClose();
                });
        watches.add(dispatcher);
        dispatcher.start();
        return new WatchStream(dispatcher);
    }

    // ---- durability and snapshots ----

    /**
     * Makes every entry applied so far durable. Until then a crash may take the store back to an
     * earlier applied index (never to data that disagrees with it), from which the server replays
     * its Raft log.
     */
    public void flush() {
        kv.flush();
    }

    /**
     * Writes a consistent checkpoint of the whole store into {@code target} (which must not exist)
     * and returns what it covers. Applies wait while the checkpoint is taken (hard links, quick).
     */
    public SnapshotInfo checkpoint(Path target) {
        return Checkpoints.create(kv, target);
    }

    /** Stops every watch stream, waits for background work, and closes RocksDB. */
    @Override
    public void close() {
        watches.closeAll();
        kv.close();
    }
}
