package dev.consensus.store.server;

import dev.consensus.api.etcdserverpb.AlarmMember;
import dev.consensus.api.etcdserverpb.AlarmRequest;
import dev.consensus.api.etcdserverpb.AlarmResponse;
import dev.consensus.api.etcdserverpb.AlarmType;
import dev.consensus.api.etcdserverpb.CompactionResponse;
import dev.consensus.api.etcdserverpb.LeaseGrantResponse;
import dev.consensus.store.cluster.Alarm;
import dev.consensus.store.cluster.ClusterState;
import dev.consensus.store.cluster.Member;
import dev.consensus.store.cluster.MemberCodec;
import dev.consensus.store.mvcc.AlreadyAppliedException;
import dev.consensus.store.mvcc.EtcdException;
import dev.consensus.store.mvcc.MvccStore;
import dev.consensus.store.mvcc.RaftPosition;
import dev.consensus.store.raft.ConfChange;
import dev.consensus.store.raft.ConfChangeType;
import dev.consensus.store.raft.Entry;
import dev.consensus.store.raft.EntryType;
import dev.consensus.store.raft.ReadState;
import dev.consensus.store.raft.Ready;
import dev.consensus.store.raft.Snapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The apply thread: installs snapshots and applies committed entries to the state machine in
 * log order, answers the clients waiting on this member, releases ReadIndex reads once their index
 * is applied, and asks for a snapshot every {@code snapshotCount} entries. It runs behind the
 * Raft loop, so a slow disk under RocksDB never holds up replication.
 */
final class Applier {

    private static final Logger LOG = LoggerFactory.getLogger(Applier.class);

    /** What the apply thread tells the rest of the server. */
    interface Hooks {
        void clusterChanged(ClusterState previous, ClusterState current, ConfChange change);

        void leaseGranted(long leaseId, long ttlSeconds);

        void leaseRevoked(long leaseId);

        /**
         * Another {@code snapshotCount} entries were applied; time to snapshot. The server takes
         * it on a thread of its own, at whatever index the store has reached by then.
         */
        void snapshotDue();

        Snapshot snapshotInstalled(Snapshot snapshot);

        /** An entry was applied; {@code nanos} is how long its backend write took. */
        void applied(long index, long nanos);

        void failed(Throwable cause);
    }

    private final StoreHolder store;
    private final ClusterView cluster;
    private final PendingRequests pending;
    private final ReadRequests reads;
    private final AppliedWaiters applied;
    private final Hooks hooks;
    private final long snapshotCount;
    private final BlockingQueue<Ready> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long appliedIndex;
    private long lastSnapshotIndex;

    Applier(StoreHolder store, ClusterView cluster, PendingRequests pending, ReadRequests reads,
            AppliedWaiters applied, Hooks hooks, long snapshotCount, long snapshotIndex, String name) {
        this.store = store;
        this.cluster = cluster;
        this.pending = pending;
        this.reads = reads;
        this.applied = applied;
        this.hooks = hooks;
        this.snapshotCount = snapshotCount;
        this.lastSnapshotIndex = snapshotIndex;
        this.appliedIndex = store.use(MvccStore::appliedIndex);
        applied.applied(appliedIndex);
        this.thread = Thread.ofPlatform().name("apply-" + name).unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    void enqueue(Ready ready) {
        queue.add(ready);
    }

    long appliedIndex() {
        return appliedIndex;
    }

    void stop() {
        running = false;
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        try {
            while (running) {
                Ready rd = queue.take();
                if (rd.snapshot() != null) {
                    install(rd.snapshot());
                }
                applyAll(rd.committedEntries());
                for (ReadState r : rd.readStates()) {
                    reads.released(r.requestId(), r.index(), applied);
                }
                if (appliedIndex - lastSnapshotIndex >= snapshotCount && queue.isEmpty()) {
                    lastSnapshotIndex = appliedIndex;
                    hooks.snapshotDue();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            if (running) {
                running = false;
                LOG.error("apply loop stopped: {}", t.toString(), t);
                hooks.failed(t);
            }
        }
    }

    private void install(Snapshot snapshot) {
        if (snapshot.index() <= appliedIndex) {
            return;
        }
        Snapshot installed = hooks.snapshotInstalled(snapshot);
        ClusterState previous = cluster.get();
        ClusterState next = MemberCodec.decodeState(store.use(MvccStore::membership));
        cluster.set(next);
        hooks.clusterChanged(previous, next, null);
        appliedIndex = installed.index();
        lastSnapshotIndex = appliedIndex;
        applied.applied(appliedIndex);
        LOG.info("applied snapshot at index {}, term {}", snapshot.index(), snapshot.term());
    }

    /**
     * Applies entries in order; a run of two or more puts, deletes and txns is applied together,
     * as one backend write, and its clients are answered once it is written. Each entry's request
     * is decoded once, here.
     */
    private void applyAll(List<Entry> entries) {
        List<ServerRequestCodec.Decoded> requests = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            requests.add(requestOf(e));
        }
        int i = 0;
        while (i < entries.size()) {
            int end = i;
            while (end < entries.size() && isKeyWrite(requests.get(end))) {
                end++;
            }
            if (end - i > 1) {
                applyKeyWrites(entries.subList(i, end), requests.subList(i, end));
                i = end;
            } else {
                apply(entries.get(i), requests.get(i));
                i++;
            }
        }
    }

    /** The request an entry carries; null for a membership change, an empty entry, or one applied already. */
    private ServerRequestCodec.Decoded requestOf(Entry e) {
        if (e.type() == EntryType.CONF_CHANGE || e.data().length == 0 || e.index() <= appliedIndex) {
            return null;
        }
        return ServerRequestCodec.decode(e.data());
    }

    /** True for a request that only writes keys: a put, a delete or a txn. */
    private static boolean isKeyWrite(ServerRequestCodec.Decoded decoded) {
        return decoded != null && switch (decoded.request()) {
            case ServerRequest.Put p -> true;
            case ServerRequest.DeleteRange d -> true;
            case ServerRequest.Txn t -> true;
            default -> false;
        };
    }

    private void applyKeyWrites(List<Entry> entries, List<ServerRequestCodec.Decoded> requests) {
        List<Runnable> answers = new ArrayList<>(entries.size());
        long start = System.nanoTime();
        store.use(s -> {
            s.applyTogether(() -> {
                for (int k = 0; k < entries.size(); k++) {
                    Entry e = entries.get(k);
                    RaftPosition position = new RaftPosition(e.index(), e.term());
                    long id = requests.get(k).requestId();
                    try {
                        Object result = switch (requests.get(k).request()) {
                            case ServerRequest.Put p -> s.put(position, p.request());
                            case ServerRequest.DeleteRange d -> s.deleteRange(position, d.request());
                            case ServerRequest.Txn t -> s.txn(position, t.request());
                            default -> throw new IllegalStateException("not a key write: " + e.index());
                        };
                        answers.add(() -> pending.complete(id, result));
                    } catch (EtcdException refused) {
                        answers.add(() -> pending.fail(id, refused));
                    } catch (AlreadyAppliedException already) {
                        // The store holds it from before a restart; nothing to answer.
                    }
                }
            });
            return null;
        });
        long nanos = System.nanoTime() - start;
        answers.forEach(Runnable::run);
        appliedIndex = entries.get(entries.size() - 1).index();
        applied.applied(appliedIndex);
        hooks.applied(appliedIndex, nanos);
    }

    /** Applies one entry; {@code decoded} is its request (see {@link #requestOf}). */
    private void apply(Entry e, ServerRequestCodec.Decoded decoded) {
        if (e.index() <= appliedIndex) {
            return;
        }
        RaftPosition position = new RaftPosition(e.index(), e.term());
        long start = System.nanoTime();
        try {
            if (e.type() == EntryType.CONF_CHANGE) {
                applyConfChange(position, e.data());
            } else if (e.data().length == 0) {
                store.use(s -> {
                    s.markApplied(position);
                    return null;
                });
            } else {
                applyRequest(position, decoded);
            }
        } catch (AlreadyAppliedException already) {
            // The store holds it from before a restart; nothing to answer.
        }
        appliedIndex = e.index();
        applied.applied(appliedIndex);
        hooks.applied(appliedIndex, System.nanoTime() - start);
    }

    private void applyConfChange(RaftPosition position, byte[] data) {
        ConfChange change = ConfChange.decode(data);
        byte[] context = ConfChange.context(data);
        ClusterState previous = cluster.get();
        ClusterState next = switch (change.type()) {
            case ADD_VOTER, ADD_LEARNER -> {
                Member member = context.length > 0
                        ? MemberCodec.decodeMember(context)
                        : previous.member(change.memberId()).orElse(
                                new Member(change.memberId(), "", List.of(), List.of(), false));
                Member existing = previous.member(change.memberId()).orElse(null);
                if (existing != null && existing.started()) {
                    member = existing;
                }
                yield previous.withMember(member.withLearner(change.type() == ConfChangeType.ADD_LEARNER));
            }
            case PROMOTE_LEARNER -> previous.member(change.memberId())
                    .map(m -> previous.withMember(m.withLearner(false)))
                    .orElse(previous);
            case REMOVE_MEMBER -> previous.withoutMember(change.memberId());
        };
        store.use(s -> {
            s.applyMembership(position, MemberCodec.encode(next));
            return null;
        });
        cluster.set(next);
        // Answer first: removing this member stops it, and the answer must not wait on a closed store.
        pending.complete(change, next);
        hooks.clusterChanged(previous, next, change);
    }

    private void applyRequest(RaftPosition position, ServerRequestCodec.Decoded decoded) {
        long id = decoded.requestId();
        try {
            Object result = switch (decoded.request()) {
                case ServerRequest.Put p -> store.use(s -> s.put(position, p.request()));
                case ServerRequest.DeleteRange d -> store.use(s -> s.deleteRange(position, d.request()));
                case ServerRequest.Txn t -> store.use(s -> s.txn(position, t.request()));
                case ServerRequest.Compact c -> compact(position, c, id);
                case ServerRequest.LeaseGrant g -> {
                    LeaseGrantResponse r = store.use(s -> s.leaseGrant(position, g.request()));
                    hooks.leaseGranted(r.getID(), r.getTTL());
                    yield r;
                }
                case ServerRequest.LeaseRevoke r -> {
                    Object response = store.use(s -> s.leaseRevoke(position, r.request()));
                    hooks.leaseRevoked(r.request().getID());
                    yield response;
                }
                case ServerRequest.Alarm a -> applyAlarm(position, a.request());
                case ServerRequest.PublishAttributes p -> updateMember(position, p.memberId(),
                        m -> m.withAttributes(p.name(), p.clientUrls()));
                case ServerRequest.UpdatePeerUrls u -> updateMember(position, u.memberId(),
                        m -> m.withPeerUrls(u.peerUrls()));
            };
            if (result != null) {
                pending.complete(id, result);
            }
        } catch (EtcdException refused) {
            pending.fail(id, refused);
        }
    }

    private Object compact(RaftPosition position, ServerRequest.Compact c, long id) {
        CompactionResponse response = store.use(s -> s.compact(position, c.request()));
        if (!c.request().getPhysical()) {
            return response;
        }
        CompletableFuture<Void> done = store.use(MvccStore::physicalCompaction);
        done.whenComplete((v, e) -> pending.complete(id, response));
        return null;
    }

    private Object applyAlarm(RaftPosition position, AlarmRequest request) {
        ClusterState previous = cluster.get();
        Alarm.Type type = request.getAlarm() == AlarmType.NOSPACE ? Alarm.Type.NOSPACE
                : request.getAlarm() == AlarmType.CORRUPT ? Alarm.Type.CORRUPT : Alarm.Type.NONE;
        ClusterState next = switch (request.getAction()) {
            case ACTIVATE -> type == Alarm.Type.NONE ? previous
                    : previous.withAlarm(new Alarm(request.getMemberID(), type));
            case DEACTIVATE -> previous.withoutAlarm(new Alarm(request.getMemberID(), type));
            default -> previous;
        };
        commitCluster(position, previous, next);
        AlarmResponse.Builder response = AlarmResponse.newBuilder();
        if (next != previous) {
            response.addAlarms(AlarmMember.newBuilder().setMemberID(request.getMemberID())
                    .setAlarm(request.getAlarm()));
        }
        return response.build();
    }

    private Object updateMember(RaftPosition position, long memberId,
            UnaryOperator<Member> change) {
        ClusterState previous = cluster.get();
        ClusterState next = previous.member(memberId).map(m -> previous.withMember(change.apply(m))).orElse(previous);
        commitCluster(position, previous, next);
        return next;
    }

    private void commitCluster(RaftPosition position, ClusterState previous, ClusterState next) {
        store.use(s -> {
            if (next == previous) {
                s.markApplied(position);
            } else {
                s.applyMembership(position, MemberCodec.encode(next));
            }
            return null;
        });
        if (next != previous) {
            cluster.set(next);
            hooks.clusterChanged(previous, next, null);
        }
    }
}
