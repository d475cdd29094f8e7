package dev.consensus.store.server;

import dev.consensus.api.etcdserverpb.AlarmMember;
import dev.consensus.api.etcdserverpb.AlarmRequest;
import dev.consensus.api.etcdserverpb.AlarmResponse;
import dev.consensus.api.etcdserverpb.AlarmType;
import dev.consensus.api.etcdserverpb.DefragmentResponse;
import dev.consensus.api.etcdserverpb.HashKVResponse;
import dev.consensus.api.etcdserverpb.HashResponse;
import dev.consensus.api.etcdserverpb.MoveLeaderResponse;
import dev.consensus.api.etcdserverpb.StatusResponse;
import dev.consensus.store.cluster.Alarm;
import dev.consensus.store.cluster.ClusterState;
import dev.consensus.store.cluster.Member;
import dev.consensus.store.mvcc.MvccStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/** The Maintenance service's work: status, alarms, leadership moves, defragment, hashes, snapshots. */
public final class MaintenanceOperations {

    /** The etcd version members report; clients gate features on it (see DESIGN.md). */
    public static final String REPORTED_VERSION = "3.5.17";

    private final StoreServer server;
    private final Headers headers;
    private final ClusterOperations cluster;

    public MaintenanceOperations(StoreServer server, ClusterOperations cluster) {
        this.server = server;
        this.headers = new Headers(server);
        this.cluster = cluster;
    }

    /** Answered by every member, learners included, from what it knows locally. */
    public StatusResponse status() {
        long size = server.store().use(MvccStore::sizeBytes);
        StatusResponse.Builder response = StatusResponse.newBuilder()
                .setHeader(headers.current())
                .setVersion(REPORTED_VERSION)
                .setDbSize(size)
                .setDbSizeInUse(size)
                .setLeader(server.leaderId())
                .setRaftIndex(server.status().commitIndex())
                .setRaftTerm(server.term())
                .setRaftAppliedIndex(server.appliedIndex())
                .setIsLearner(server.isLearner());
        for (Alarm a : server.cluster().alarms()) {
            response.addErrors("memberID:" + Long.toUnsignedString(a.memberId()) + " alarm:" + a.type().name() + " ");
        }
        return response.build();
    }

    public CompletableFuture<AlarmResponse> alarm(AlarmRequest request) {
        Guards.notLearner(server);
        if (request.getAction() == AlarmRequest.AlarmAction.GET) {
            return CompletableFuture.completedFuture(alarms(server.cluster(), request.getAlarm()));
        }
        return server.proposer().<AlarmResponse>propose(new ServerRequest.Alarm(request))
                .thenApply(r -> r.toBuilder().setHeader(headers.current()).build());
    }

    private AlarmResponse alarms(ClusterState state, AlarmType filter) {
        AlarmResponse.Builder response = AlarmResponse.newBuilder().setHeader(headers.current());
        for (Alarm a : state.alarms()) {
            AlarmType type = a.type() == Alarm.Type.NOSPACE ? AlarmType.NOSPACE : AlarmType.CORRUPT;
            if (filter == AlarmType.NONE || filter == type) {
                response.addAlarms(AlarmMember.newBuilder().setMemberID(a.memberId()).setAlarm(type));
            }
        }
        return response.build();
    }

    /** Only the leader moves leadership, to a voter; etcd's errors otherwise. */
    public CompletableFuture<MoveLeaderResponse> moveLeader(long target) {
        Guards.notLearner(server);
        if (!server.isLeader()) {
            throw ServerError.NOT_LEADER.exception();
        }
        Member member = server.cluster().member(target).orElseThrow(ServerError.BAD_LEADER_TRANSFEREE::exception);
        if (member.learner()) {
            throw ServerError.BAD_LEADER_TRANSFEREE.exception();
        }
        if (target == server.memberId()) {
            return CompletableFuture.completedFuture(MoveLeaderResponse.newBuilder().setHeader(headers.current()).build());
        }
        return cluster.transferLeadership(target)
                .thenApply(v -> MoveLeaderResponse.newBuilder().setHeader(headers.current()).build());
    }

    public DefragmentResponse defragment() {
        server.store().use(s -> {
            s.defragment();
            return null;
        });
        return DefragmentResponse.newBuilder().setHeader(headers.current()).build();
    }

    public HashResponse hash() {
        int hash = server.store().use(MvccStore::hash);
        return HashResponse.newBuilder().setHeader(headers.current()).setHash(hash).build();
    }

    public HashKVResponse hashKv(long revision) {
        MvccStore.HashKv h = server.store().use(s -> s.hashKv(revision));
        return HashKVResponse.newBuilder().setHeader(headers.of(h.revision())).setHash(h.hash())
                .setCompactRevision(h.compactRevision()).build();
    }

    /** A consistent copy of the state machine, as a stream the caller must close. */
    public SnapshotExport snapshot() throws IOException {
        Path target = server.exportDir();
        server.store().use(s -> s.checkpoint(target));
        return SnapshotExport.of(target);
    }
}
