package dev.consensus.store.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * The metrics a member exposes under etcd's names, with typed methods the server calls as
 * things happen.
 *
 * <p>Why etcd's names: dashboards, alerts and the operator's checks are written against etcd's
 * metrics ({@code etcd_server_has_leader}, {@code etcd_disk_wal_fsync_duration_seconds} ...);
 * the same names and kinds let them watch {@code store-node} unchanged. Kinds follow etcd 3.5
 * even where odd: {@code proposals_committed_total} and {@code proposals_applied_total} are
 * gauges there (set to the Raft index), so they are gauges here. The disk histograms use etcd's
 * buckets, 1 ms doubling to 8.192 s. This class knows nothing of the server: it is told.
 */
public final class ServerMetrics {

    /** etcd's buckets for disk latencies: 0.001 s doubling fourteen times, to 8.192 s. */
    public static final double[] DISK_BUCKETS = Buckets.exponential(0.001, 2, 14);

    private final MetricRegistry registry;
    private final long memberId;
    private final Gauge hasLeader;
    private final Gauge isLeader;
    private final Gauge isLearner;
    private final Counter leaderChanges;
    private final Gauge proposalsCommitted;
    private final Gauge proposalsApplied;
    private final Gauge proposalsPending;
    private final Counter proposalsFailed;
    private final Histogram walFsync;
    private final Histogram backendCommit;
    private final Gauge quotaBackendBytes;
    private final AtomicReference<LongSupplier> dbTotalSize = new AtomicReference<>(() -> 0);
    private final AtomicReference<LongSupplier> dbSizeInUse = new AtomicReference<>(() -> 0);
    private final AtomicReference<LongSupplier> keys = new AtomicReference<>(() -> 0);
    private long leaderId;

    /**
     * Registers etcd's server metrics and the {@code process_*} metrics in {@code registry}.
     *
     * @param serverVersion the etcd version this member reports (the server passes what Status
     *     reports, built on {@code StoreNodeVersion.API_VERSION}), as the {@code server_version}
     *     label of {@code etcd_server_version}
     * @param memberId this member's ID, the {@code server_id} label of {@code etcd_server_id} in
     *     etcd's hex form, and what {@link #leaderChanged} compares against
     */
    public ServerMetrics(MetricRegistry registry, String serverVersion, long memberId) {
        this.registry = registry;
        this.memberId = memberId;
        hasLeader = registry.gauge("etcd_server_has_leader",
                "Whether a leader exists: 1 if it does, 0 if not.");
        isLeader = registry.gauge("etcd_server_is_leader",
                "Whether this member is the leader: 1 if it is, 0 if not.");
        isLearner = registry.gauge("etcd_server_is_learner",
                "Whether this member is a learner: 1 if it is, 0 if not.");
        leaderChanges = registry.counter("etcd_server_leader_changes_seen_total",
                "Number of leader changes this member has seen.");
        proposalsCommitted = registry.gauge("etcd_server_proposals_committed_total",
                "Number of consensus proposals committed (the Raft commit index).");
        proposalsApplied = registry.gauge("etcd_server_proposals_applied_total",
                "Number of consensus proposals applied (the applied index).");
        proposalsPending = registry.gauge("etcd_server_proposals_pending",
                "Number of proposals made and not yet committed.");
        proposalsFailed = registry.counter("etcd_server_proposals_failed_total",
                "Number of proposals that failed.");
        walFsync = registry.histogram("etcd_disk_wal_fsync_duration_seconds",
                "Latency of the write-ahead log's fsyncs.", DISK_BUCKETS);
        backendCommit = registry.histogram("etcd_disk_backend_commit_duration_seconds",
                "Latency of the backend's commits.", DISK_BUCKETS);
        quotaBackendBytes = registry.gauge("etcd_server_quota_backend_bytes",
                "Backend quota in bytes.");
        registry.gauge("etcd_mvcc_db_total_size_in_bytes",
                "Size of the backend database on disk, in bytes.", () -> dbTotalSize.get().getAsLong());
        registry.gauge("etcd_mvcc_db_total_size_in_use_in_bytes",
                "Bytes of the backend database in logical use.", () -> dbSizeInUse.get().getAsLong());
        registry.gauge("etcd_debugging_mvcc_keys_total",
                "Number of keys.", () -> keys.get().getAsLong());
        registry.gauge("etcd_server_version", "Which version is running: 1 for the server_version label's value.",
                Map.of("server_version", serverVersion)).set(1);
        registry.gauge("etcd_server_id", "This member's ID in hex: 1 for the server_id label's value.",
                Map.of("server_id", Long.toHexString(memberId))).set(1);
        ProcessMetrics.register(registry);
    }

    /** The registry these metrics live in, for the HTTP server to render. */
    public MetricRegistry registry() {
        return registry;
    }

    /**
     * The member learned who leads: {@code newLeaderId} is the leader's member ID, 0 for none
     * (Raft's "no leader"). Sets has_leader and is_leader; a change to a new, known leader
     * counts one leader change, as etcd counts it.
     */
    public synchronized void leaderChanged(long newLeaderId) {
        hasLeader.set(newLeaderId != 0);
        isLeader.set(newLeaderId != 0 && newLeaderId == memberId);
        if (newLeaderId != 0 && newLeaderId != leaderId) {
            leaderChanges.inc();
        }
        leaderId = newLeaderId;
    }

    /** Whether this member is now a learner (set at start and on promotion). */
    public void learner(boolean learner) {
        isLearner.set(learner);
    }

    /** The Raft commit index, as etcd sets proposals_committed_total. */
    public void committed(long commitIndex) {
        proposalsCommitted.set(commitIndex);
    }

    /** The applied index, as etcd sets proposals_applied_total. */
    public void applied(long appliedIndex) {
        proposalsApplied.set(appliedIndex);
    }

    /** A client proposal was handed to Raft; pair with {@link #proposalDone()}. */
    public void proposalStarted() {
        proposalsPending.inc();
    }

    /** A proposal started with {@link #proposalStarted()} finished, whatever its outcome. */
    public void proposalDone() {
        proposalsPending.dec();
    }

    /** A proposal failed (timed out, dropped, or lost its leader). */
    public void proposalFailed() {
        proposalsFailed.inc();
    }

    /** One fsync of the write-ahead log took {@code duration}. */
    public void walFsync(Duration duration) {
        walFsync.observe(duration);
    }

    /** One commit of the backend (a RocksDB write batch) took {@code duration}. */
    public void backendCommit(Duration duration) {
        backendCommit.observe(duration);
    }

    /** The backend quota in force, in bytes. */
    public void quotaBackendBytes(long bytes) {
        quotaBackendBytes.set(bytes);
    }

    /** Where to read the database sizes at scrape time: on disk, and in logical use. */
    public void reportDbSize(LongSupplier totalBytes, LongSupplier inUseBytes) {
        dbTotalSize.set(totalBytes);
        dbSizeInUse.set(inUseBytes);
    }

    /** Where to read the number of keys at scrape time. */
    public void reportKeys(LongSupplier count) {
        keys.set(count);
    }
}
