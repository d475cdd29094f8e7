package dev.consensus.store.server;

import dev.consensus.api.etcdserverpb.LeaseRevokeRequest;
import dev.consensus.store.raft.ConfChangeType;
import dev.consensus.store.raft.NodeStatus;
import dev.consensus.store.mvcc.WatchListener;
import dev.consensus.store.mvcc.WatchStream;
import dev.consensus.store.cluster.ClusterInfo;
import dev.consensus.store.cluster.ClusterState;
import dev.consensus.store.cluster.Member;
import dev.consensus.store.cluster.MemberCodec;
import dev.consensus.store.mvcc.MvccConfig;
import dev.consensus.store.mvcc.MvccStore;
import dev.consensus.store.mvcc.SnapshotInfo;
import dev.consensus.store.raft.ConfChange;
import dev.consensus.store.raft.ConfState;
import dev.consensus.store.raft.Message;
import dev.consensus.store.raft.RaftConfig;
import dev.consensus.store.raft.RaftLogger;
import dev.consensus.store.raft.RaftNode;
import dev.consensus.store.raft.Ready;
import dev.consensus.store.raft.Role;
import dev.consensus.store.raft.Snapshot;
import dev.consensus.store.raft.SnapshotMetadata;
import dev.consensus.store.raft.SoftState;
import dev.consensus.store.storage.MemberDir;
import dev.consensus.store.storage.RealFileLayer;
import dev.consensus.store.storage.WalConfig;
import dev.consensus.store.storage.WalStorage;
import dev.consensus.store.transport.PeerIdentity;
import dev.consensus.store.transport.PeerInbound;
import dev.consensus.store.transport.PeerTransport;
import dev.consensus.store.transport.SnapshotPayloads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One member: opens (or creates) its storage and state machine, starts the Raft loop, the apply
 * thread and the peer transport, and wires them together. The client-facing operations live in
 * {@link KvOperations}, {@link LeaseOperations}, {@link ClusterOperations} and
 * {@link MaintenanceOperations}.
 */
public final class StoreServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StoreServer.class);
    private static final String CHECKPOINT_PREFIX = "db-";
    private static final int CHECKPOINTS_TO_KEEP = 2;
    // Not CHECKPOINT_PREFIX: never taken for a finished checkpoint, and left by a crash only
    // until the next snapshot.
    private static final String PARTIAL_CHECKPOINT = "partial-checkpoint";

    private final ServerSettings settings;
    private final MemberIdentity identity;
    private final MemberDir dir;
    private final WalStorage storage;
    private final StoreHolder store;
    private final ClusterView cluster;
    private final RaftStatus status = new RaftStatus();
    private final PendingRequests pending;
    private final ReadRequests reads = new ReadRequests();
    private final AppliedWaiters applied = new AppliedWaiters();
    private final LeaseKeeper leases = new LeaseKeeper(System::nanoTime);
    private final RaftNode node;
    private final RaftLoop loop;
    private final Applier applier;
    private final PeerTransport transport;
    private final Proposer proposer;
    private final ScheduledExecutorService timers;
    private final ExecutorService snapshotter;
    private final AtomicBoolean snapshotting = new AtomicBoolean();
    private final ServerEvents events;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final CompletableFuture<StopReason> stopFuture = new CompletableFuture<>();
    private volatile FatalError failure;
    /** How long a member that failed may spend closing before it exits anyway. */
    private static final long FAILED_STOP_GRACE_SECONDS = 15;

    /** Why a member stopped. */
    public enum StopReason { CLOSED, REMOVED, FAILED }

    private StoreServer(ServerSettings settings, PeerTransportFactory transports, ServerEvents events)
            throws IOException {
        this.settings = settings;
        this.events = events;
        this.dir = MemberDir.inDataDir(settings.dataDir());
        Files.createDirectories(dir.path());
        RealFileLayer files = new RealFileLayer();
        WalConfig walConfig = WalConfig.defaults();
        ClusterState initialCluster;
        boolean restarted = WalStorage.exists(dir, files);
        if (restarted) {
            this.identity = MemberIdentity.read(dir.path()).orElseThrow(() -> new IOException(
                    "data directory " + settings.dataDir() + " has a WAL but no member identity"));
            this.storage = WalStorage.open(dir, walConfig, files);
            // Used only while nothing is applied: a joined member restarted before its first apply.
            initialCluster = JoinedCluster.read(dir.path()).orElse(null);
        } else if (settings.joinExisting()) {
            List<URI> others = settings.initialMembers().stream()
                    .filter(m -> !m.name().equals(settings.name()))
                    .flatMap(m -> m.peerUrls().stream()).toList();
            JoinLookup.Joined joined = JoinLookup.find(transports, others, settings.advertisePeerUrls());
            ClusterInfo info = joined.cluster();
            Member self = joined.self();
            this.identity = new MemberIdentity(info.clusterId(), self.id());
            initialCluster = ClusterState.of(info.members(), List.of(), List.of());
            JoinedCluster.write(dir.path(), initialCluster);
            this.storage = WalStorage.createJoining(dir, walConfig, files);
            identity.write(dir.path());
        } else {
            this.identity = newMemberIdentity(settings);
            this.storage = createNewMember(dir, settings, identity, walConfig, files);
            initialCluster = ClusterState.of(settings.initialMembers(), List.of(), List.of());
        }
        MvccConfig mvccConfig = MvccConfig.defaults().withMaxTxnOps(settings.maxTxnOps())
                .withMinLeaseTtlSeconds(settings.minLeaseTtlSeconds());
        this.store = new StoreHolder(openStore(mvccConfig));
        long storeApplied = store.use(MvccStore::appliedIndex);
        if (restarted && storeApplied < storage.lastIndex()) {
            // A crash takes the store back to its last flush (docs/storage.md); this says how far.
            LOG.info("the key-value store is at applied index {} and the Raft log goes to {}: committed entries "
                    + "after {} are applied again", storeApplied, storage.lastIndex(), storeApplied);
        }
        ClusterState applied = MemberCodec.decodeState(store.use(MvccStore::membership));
        this.cluster = new ClusterView(applied);
        this.pending = new PendingRequests(identity.memberId());
        RaftConfig raftConfig = RaftConfig.defaults(identity.memberId())
                .withHeartbeatIntervalTicks(1)
                .withElectionTimeoutTicks(settings.electionTicks());
        this.node = new RaftNode(raftConfig, storage, new SecureRandom(), new Slf4jRaftLogger());
        status.update(storage.hardState().term(), storage.hardState().commit());
        this.transport = transports.create(new PeerIdentity(identity.clusterId(), identity.memberId()),
                new Inbound(), new Payloads());
        this.loop = new RaftLoop(node, storage, transport, new LoopListener(), settings.heartbeatMillis(),
                events::walFsync);
        this.applier = new Applier(store, cluster, pending, reads, this.applied, new ApplyHooks(),
                settings.snapshotCount(), storage.snapshot().index(), Long.toHexString(identity.memberId()));
        this.proposer = new Proposer(loop, pending, reads, status, settings.requestTimeoutMillis(),
                settings.maxRequestBytes(), events);
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon()
                .name("timers-" + Long.toHexString(identity.memberId())).unstarted(r));
        this.snapshotter = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon()
                .name("snapshot-" + Long.toHexString(identity.memberId())).unstarted(r));
        ClusterState peersFrom = initialCluster != null && applied.members().isEmpty() ? initialCluster : applied;
        transport.setPeers(peerUrls(peersFrom));
    }

    private static MemberIdentity newMemberIdentity(ServerSettings settings) throws IOException {
        Member self = settings.initialMembers().stream().filter(m -> m.name().equals(settings.name()))
                .findFirst().orElseThrow(() -> new IOException("couldn't find local name \"" + settings.name()
                        + "\" in the initial cluster configuration"));
        return new MemberIdentity(settings.clusterId(), self.id());
    }

    /** The WAL of a member of a new cluster: the initial members as its first entries. */
    private static WalStorage createNewMember(MemberDir dir, ServerSettings settings, MemberIdentity identity,
            WalConfig walConfig, RealFileLayer files) throws IOException {
        Map<Long, Member> byId = new HashMap<>();
        settings.initialMembers().forEach(m -> byId.put(m.id(), m));
        ConfState voters = new ConfState(byId.keySet(), Set.of());
        WalStorage storage = WalStorage.createMember(dir, voters, id -> MemberCodec.encode(byId.get(id)), walConfig,
                files);
        identity.write(dir.path());
        return storage;
    }

    /**
     * Writes the data directory of a member of a new cluster whose state machine starts from
     * {@code checkpoint} (etcd's snapshot restore) rather than empty. Started with it, the member
     * runs as after a restart: the first entries, the initial members, apply on top of the data.
     */
    static void createRestored(ServerSettings settings, Path checkpoint) throws IOException {
        MemberDir dir = MemberDir.inDataDir(settings.dataDir());
        MemberIdentity identity = newMemberIdentity(settings);
        MvccStore.restoreForNewCluster(checkpoint, dir.path().resolve("kv"));
        createNewMember(dir, settings, identity, WalConfig.defaults(), new RealFileLayer()).close();
    }

    /** Opens or creates the member's storage and starts it. */
    public static StoreServer start(ServerSettings settings, PeerTransportFactory transports, ServerEvents events)
            throws IOException {
        StoreServer server = new StoreServer(settings, transports, events);
        server.startThreads();
        return server;
    }

    private MvccStore openStore(MvccConfig config) throws IOException {
        Path kvDir = dir.path().resolve("kv");
        Snapshot snapshot = storage.snapshot();
        if (!snapshot.isEmpty()) {
            MvccStore opened = MvccStore.open(kvDir, config);
            if (opened.appliedIndex() >= snapshot.index()) {
                return opened;
            }
            // Crashed between persisting a leader's snapshot and installing it: install it now.
            opened.close();
            restoreInto(checkpointPath(snapshot), kvDir);
        }
        return MvccStore.open(kvDir, config);
    }

    private void startThreads() throws IOException {
        transport.start();
        applier.start();
        loop.start();
        long tick = Math.max(50, settings.heartbeatMillis());
        timers.scheduleWithFixedDelay(this::expireLeases, 500, 500, TimeUnit.MILLISECONDS);
        timers.scheduleWithFixedDelay(proposer::expireTimedOut, Proposer.SWEEP_MILLIS, Proposer.SWEEP_MILLIS,
                TimeUnit.MILLISECONDS);
        timers.scheduleWithFixedDelay(this::publishIfNeeded, tick, Math.max(tick, 500), TimeUnit.MILLISECONDS);
        long progress = settings.watchProgressNotifyInterval().toNanos();
        timers.scheduleAtFixedRate(this::watchProgressTick, progress, progress, TimeUnit.NANOSECONDS);
        LOG.info("started member {} of cluster {} ({}), peers {}", hex(identity.memberId()), hex(identity.clusterId()),
                settings.name(), cluster.get().members().keySet().stream().map(StoreServer::hex).toList());
    }

    // ---- what the services use ----

    public long memberId() {
        return identity.memberId();
    }

    public long clusterId() {
        return identity.clusterId();
    }

    public String name() {
        return settings.name();
    }

    public ServerSettings settings() {
        return settings;
    }

    ServerEvents events() {
        return events;
    }

    RaftStatus status() {
        return status;
    }

    Proposer proposer() {
        return proposer;
    }

    StoreHolder store() {
        return store;
    }

    ClusterState cluster() {
        return cluster.get();
    }

    LeaseKeeper leases() {
        return leases;
    }

    RaftLoop loop() {
        return loop;
    }

    /** Opens a watch stream on the current state machine (see {@code MvccStore#openWatchStream}). */
    public WatchStream watchStream(WatchListener listener) {
        return store.use(s -> s.openWatchStream(listener));
    }

    /** Bytes the state machine takes (what Status reports as the DB size); 0 once stopped. */
    public long dbSizeBytes() {
        try {
            return store.use(MvccStore::sizeBytes);
        } catch (ServerException stopped) {
            return 0;
        }
    }

    /** A fresh path under the snap directory for an exported checkpoint (Maintenance/Snapshot). */
    Path exportDir() {
        return dir.snap().resolve("export-" + System.nanoTime());
    }

    long appliedIndex() {
        return applier.appliedIndex();
    }

    /** Raft term and leader as this member knows them. */
    public long term() {
        return status.term();
    }

    public long leaderId() {
        return status.leaderId();
    }

    public boolean isLeader() {
        return status.role() == Role.LEADER;
    }

    public boolean isLearner() {
        return cluster.get().member(identity.memberId()).map(Member::learner).orElse(false);
    }

    /** Completes when the member stops, with the reason. */
    public CompletableFuture<StopReason> stopped() {
        return stopFuture;
    }

    /** The leader's client URLs, for requests only the leader can answer; empty when unknown. */
    public List<URI> leaderClientUrls() {
        long leader = status.leaderId();
        return cluster.get().member(leader).map(Member::clientUrls).orElse(List.of());
    }

    /** A snapshot of the Raft core's view, taken on the loop thread. */
    CompletableFuture<NodeStatus> nodeStatus() {
        CompletableFuture<NodeStatus> f = new CompletableFuture<>();
        loop.submit(n -> f.complete(n.status()));
        return proposer.withTimeout(f);
    }

    // ---- background work ----

    /** Proposes the revoke of every lease past its deadline, while this member leads in the term that found it so. */
    void expireLeases() {
        try {
            LeaseKeeper.Expired expired = leases.expired(1000,
                    TimeUnit.MILLISECONDS.toNanos(settings.requestTimeoutMillis()));
            for (long id : expired.ids()) {
                proposer.proposeAsLeader(expired.term(), new ServerRequest.LeaseRevoke(
                        LeaseRevokeRequest.newBuilder().setID(id).build()));
            }
        } catch (RuntimeException e) {
            LOG.warn("lease expiry round failed: {}", e.toString());
        }
    }

    /** etcd's periodic progress notification, for watches created with progress_notify. */
    private void watchProgressTick() {
        try {
            store.use(s -> {
                s.watchProgressTick();
                return null;
            });
        } catch (RuntimeException e) {
            LOG.debug("watch progress tick skipped: {}", e.toString());
        }
    }

    private volatile boolean publishing;

    /** etcd's publish: once there is a leader, record this member's name and client URLs. */
    private void publishIfNeeded() {
        Member self = cluster.get().member(identity.memberId()).orElse(null);
        if (self == null || publishing || !status.hasLeader()) {
            return;
        }
        if (self.name().equals(settings.name()) && self.clientUrls().equals(settings.advertiseClientUrls())) {
            return;
        }
        publishing = true;
        proposer.propose(new ServerRequest.PublishAttributes(identity.memberId(), settings.name(),
                settings.advertiseClientUrls())).whenComplete((r, e) -> {
                    publishing = false;
                    if (e == null) {
                        LOG.info("published local member to cluster through raft: name {}, client URLs {}",
                                settings.name(), settings.advertiseClientUrls());
                    }
                });
    }

    /**
     * Starts a snapshot on the snapshot thread unless one is running (then this one is skipped:
     * the next falls due {@code --snapshot-count} entries later). On the apply thread, the
     * checkpoint held every write for as long as RocksDB took to flush, 250 to 430 ms under a put
     * load, once every 100,000 entries.
     */
    private void snapshotInBackground() {
        if (!snapshotting.compareAndSet(false, true)) {
            return;
        }
        try {
            snapshotter.execute(() -> {
                try {
                    takeSnapshot();
                } catch (Throwable t) {
                    // Once stopping, the store closes under the checkpoint: that is no failure.
                    if (!stopped.get()) {
                        stop(StopReason.FAILED, t);
                    }
                } finally {
                    snapshotting.set(false);
                }
            });
        } catch (RejectedExecutionException e) {
            snapshotting.set(false); // stopping
        }
    }

    /**
     * Checkpoints the state machine, then records the Raft snapshot at the index the checkpoint
     * holds. Entries go on being applied meanwhile, so that index is only known once the
     * checkpoint exists: it is made under a temporary name and renamed after.
     */
    private void takeSnapshot() throws IOException {
        Path partial = dir.snap().resolve(PARTIAL_CHECKPOINT);
        deleteRecursively(partial);
        long start = System.nanoTime();
        SnapshotInfo info = store.use(s -> s.checkpoint(partial));
        Path target = dir.snap().resolve(checkpointName(info.appliedIndex()));
        if (Files.exists(target)) {
            // Nothing applied since the last snapshot, or a leader's snapshot at this very index.
            deleteRecursively(partial);
            return;
        }
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        fsyncDirectory(dir.snap());
        long millis = (System.nanoTime() - start) / 1_000_000;
        ConfState conf = confStateOf(MemberCodec.decodeState(info.membership()));
        byte[] data = checkpointName(info.appliedIndex()).getBytes(StandardCharsets.UTF_8);
        loop.submit(n -> {
            storage.createSnapshot(info.appliedIndex(), conf, data);
            long keepFrom = info.appliedIndex() - settings.snapshotCatchUpEntries();
            if (keepFrom > storage.firstIndex()) {
                storage.compact(keepFrom);
            }
            pruneCheckpoints();
            LOG.info("saved snapshot at index {} (checkpoint {} ms)", info.appliedIndex(), millis);
        });
    }

    private static void fsyncDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /** Waits for a snapshot in progress, so that the store is not closed under it. */
    private void stopSnapshots() {
        snapshotter.shutdown();
        try {
            if (!snapshotter.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("stopping: a snapshot still runs after 30 s; closing the store anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ConfState confStateOf(ClusterState state) {
        Set<Long> voters = new HashSet<>();
        Set<Long> learners = new HashSet<>();
        state.members().values().forEach(m -> (m.learner() ? learners : voters).add(m.id()));
        return new ConfState(voters, learners);
    }

    private void pruneCheckpoints() {
        try (Stream<Path> entries = Files.list(dir.snap())) {
            List<Path> checkpoints = entries.filter(p -> p.getFileName().toString().startsWith(CHECKPOINT_PREFIX))
                    .sorted(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed()).toList();
            String current = new String(storage.snapshot().data(), StandardCharsets.UTF_8);
            for (int i = CHECKPOINTS_TO_KEEP; i < checkpoints.size(); i++) {
                if (!checkpoints.get(i).getFileName().toString().equals(current)) {
                    deleteRecursively(checkpoints.get(i));
                }
            }
        } catch (IOException e) {
            LOG.warn("could not prune old checkpoints: {}", e.toString());
        }
    }

    static String checkpointName(long index) {
        return CHECKPOINT_PREFIX + String.format("%016x", index);
    }

    private Path checkpointPath(Snapshot snapshot) throws IOException {
        String name = new String(snapshot.data(), StandardCharsets.UTF_8);
        if (!name.startsWith(CHECKPOINT_PREFIX) || name.contains("/") || name.contains("..")) {
            throw new IOException("snapshot at index " + snapshot.index() + " names no checkpoint: " + name);
        }
        return dir.snap().resolve(name);
    }

    private static void restoreInto(Path checkpoint, Path kvDir) throws IOException {
        deleteRecursively(kvDir);
        MvccStore.restore(checkpoint, kvDir);
    }

    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static Map<Long, List<URI>> peerUrls(ClusterState state) {
        Map<Long, List<URI>> urls = new HashMap<>();
        state.members().values().forEach(m -> urls.put(m.id(), m.peerUrls()));
        return urls;
    }

    static String hex(long id) {
        return Long.toHexString(id);
    }

    // ---- lifecycle ----

    private void stop(StopReason reason, Throwable cause) {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        if (cause != null) {
            FatalError fatal = FatalError.of(cause);
            failure = fatal;
            LOG.error(fatal.describe(hex(identity.memberId()), dir.path()));
            // A failed member must not linger answering nothing: if closing hangs (a background
            // compaction or RocksDB flush on a full disk), give up on a clean close. Exiting
            // without one is a crash, which the WAL is made to survive.
            Thread.ofPlatform().daemon().name("stop-watchdog-" + hex(identity.memberId())).start(() -> {
                try {
                    stopFuture.get(FAILED_STOP_GRACE_SECONDS, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    LOG.warn("stopping took longer than {} s; exiting without closing the rest",
                            FAILED_STOP_GRACE_SECONDS);
                    stopFuture.complete(reason);
                } catch (InterruptedException | ExecutionException e) {
                    stopFuture.complete(reason);
                }
            });
        }
        Thread.ofPlatform().name("stop-" + hex(identity.memberId())).start(() -> {
            try {
                quietly("timers", timers::shutdownNow);
                quietly("raft loop", loop::stop);
                quietly("apply loop", applier::stop);
                quietly("snapshots", this::stopSnapshots);
                quietly("peer transport", transport::close);
                ServerException error = ServerError.STOPPED.exception();
                quietly("pending requests", () -> pending.failAll(error));
                quietly("pending reads", () -> reads.failAll(error));
                quietly("applied waiters", () -> applied.failAll(error));
                quietly("backend", store::close);
                quietly("WAL", storage::close);
                LOG.info("member {} stopped ({})", hex(identity.memberId()), reason);
            } finally {
                // Always: the process waits on this to exit, and a close that throws must not
                // leave a member up that answers nothing.
                stopFuture.complete(reason);
            }
        });
    }

    /** One step of stopping; a failure is logged and the next steps still run. */
    private static void quietly(String what, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            LOG.warn("stopping: closing the {} failed: {}", what, e.toString());
        }
    }

    /** The fatal error the member stopped on, in one line; empty unless it stopped FAILED. */
    public Optional<String> failure() {
        FatalError f = failure;
        return f == null ? Optional.empty() : Optional.of(f.describe(hex(identity.memberId()), dir.path()));
    }

    @Override
    public void close() {
        stop(StopReason.CLOSED, null);
        stopFuture.join();
    }

    // ---- wiring ----

    private final class LoopListener implements RaftLoop.Listener {
        @Override
        public void softStateChanged(SoftState previous, SoftState current) {
            boolean wasLeader = previous.role() == Role.LEADER;
            boolean isLeader = current.role() == Role.LEADER;
            status.softState(current.leaderId(), current.role());
            status.update(node.term(), node.commitIndex());
            if (previous.leaderId() != current.leaderId()) {
                events.leaderChanged(current.leaderId());
                LOG.info("raft.node: {} elected leader {} at term {}", hex(identity.memberId()),
                        hex(current.leaderId()), node.term());
            }
            if (isLeader && !wasLeader) {
                Map<Long, Long> ttls = new HashMap<>();
                store.use(s -> {
                    for (long id : s.leases()) {
                        s.lease(id).ifPresent(l -> ttls.put(id, l.grantedTtlSeconds()));
                    }
                    return null;
                });
                leases.promote(ttls, TimeUnit.MILLISECONDS.toNanos(settings.electionMillis()), node.term());
            } else if (wasLeader && !isLeader) {
                leases.demote();
            }
        }

        @Override
        public void committed(Ready ready) {
            status.update(node.term(), node.commitIndex());
            events.committed(node.commitIndex());
            applier.enqueue(ready);
        }

        @Override
        public void failed(Throwable cause) {
            stop(StopReason.FAILED, cause);
        }
    }

    private final class ApplyHooks implements Applier.Hooks {
        @Override
        public void clusterChanged(ClusterState previous, ClusterState current, ConfChange change) {
            transport.setPeers(peerUrls(current));
            events.learner(current.member(identity.memberId()).map(Member::learner).orElse(false));
            if (current.isRemoved(identity.memberId()) && !previous.isRemoved(identity.memberId())) {
                LOG.warn("the member has been permanently removed from the cluster");
                stop(StopReason.REMOVED, null);
            }
        }

        @Override
        public void leaseGranted(long leaseId, long ttlSeconds) {
            leases.granted(leaseId, ttlSeconds);
        }

        @Override
        public void leaseRevoked(long leaseId) {
            leases.revoked(leaseId);
        }

        @Override
        public void applied(long index, long nanos) {
            events.applied(index);
            events.backendCommit(nanos);
        }

        @Override
        public void snapshotDue() {
            snapshotInBackground();
        }

        @Override
        public Snapshot snapshotInstalled(Snapshot snapshot) {
            store.swap(old -> {
                old.close();
                try {
                    Path kvDir = dir.path().resolve("kv");
                    restoreInto(checkpointPath(snapshot), kvDir);
                    return MvccStore.open(kvDir, old.config());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            return snapshot;
        }

        @Override
        public void failed(Throwable cause) {
            stop(StopReason.FAILED, cause);
        }
    }

    private final class Inbound implements PeerInbound {
        @Override
        public void receive(List<Message> messages) {
            loop.submit(n -> {
                for (Message m : messages) {
                    n.step(m);
                }
            });
        }

        @Override
        public void receiveSnapshot(Message.InstallSnapshot message, Path checkpointDir) {
            loop.submit(n -> {
                Snapshot snapshot = message.snapshot();
                Path target;
                try {
                    target = checkpointPath(snapshot);
                    if (!checkpointDir.equals(target)) {
                        deleteRecursively(target);
                        Files.move(checkpointDir, target, StandardCopyOption.ATOMIC_MOVE);
                    }
                } catch (IOException e) {
                    LOG.warn("cannot keep the snapshot received from {}: {}", hex(message.from()), e.toString());
                    return;
                }
                n.step(message);
            });
        }

        @Override
        public void unreachable(long memberId) {
            loop.submit(n -> n.reportUnreachable(memberId));
        }

        @Override
        public void connectionLost(long memberId) {
            loop.submit(n -> n.reportConnectionLost(memberId));
        }

        @Override
        public void snapshotReported(long memberId, boolean delivered) {
            loop.submit(n -> n.reportSnapshot(memberId, delivered));
        }

        @Override
        public void removedFromCluster(long byMemberId) {
            LOG.warn("the member has been permanently removed from the cluster (told by {})", hex(byMemberId));
            // A member removed while a follower never applies its own removal (the leader stops
            // replicating to it once the change is appended); a waiting request for it is done.
            ConfChange removal = new ConfChange(ConfChangeType.REMOVE_MEMBER,
                    identity.memberId());
            pending.complete(removal, cluster.get().withoutMember(identity.memberId()));
            stop(StopReason.REMOVED, null);
        }

        @Override
        public ClusterInfo clusterInfo() {
            return new ClusterInfo(identity.clusterId(), cluster.get().memberList());
        }

        @Override
        public boolean isRemoved(long memberId) {
            return cluster.get().isRemoved(memberId);
        }
    }

    private final class Payloads implements SnapshotPayloads {
        @Override
        public Path checkpointDir(Snapshot snapshot) throws IOException {
            return checkpointPath(snapshot);
        }

        @Override
        public Path newReceiveDir(SnapshotMetadata metadata) throws IOException {
            Path target = dir.snap().resolve("incoming-" + String.format("%016x", metadata.index()) + "-"
                    + System.nanoTime());
            Files.createDirectories(target);
            return target;
        }
    }

    private final class Slf4jRaftLogger implements RaftLogger {
        private final Logger raftLog = LoggerFactory.getLogger("raft");

        @Override
        public boolean isEnabled(Level level) {
            return switch (level) {
                case DEBUG -> raftLog.isDebugEnabled();
                case INFO -> raftLog.isInfoEnabled();
                case WARN -> raftLog.isWarnEnabled();
            };
        }

        @Override
        public void log(Level level, String message) {
            switch (level) {
                case DEBUG -> raftLog.debug(message);
                case INFO -> raftLog.info(message);
                case WARN -> raftLog.warn(message);
            }
        }
    }

    /** A hook for the metrics: what happened, as it happens. Defaults do nothing. */
    public interface ServerEvents {
        ServerEvents NONE = new ServerEvents() { };

        default void leaderChanged(long leaderId) { }

        default void walFsync(long nanos) { }

        default void proposalFailed() { }

        default void proposalStarted() { }

        default void proposalDone() { }

        default void committed(long commitIndex) { }

        default void applied(long appliedIndex) { }

        default void backendCommit(long nanos) { }

        default void learner(boolean learner) { }
    }
}
