package dev.consensus.store.api;

import com.google.protobuf.ByteString;
import dev.consensus.api.etcdserverpb.AlarmRequest;
import dev.consensus.api.etcdserverpb.AlarmResponse;
import dev.consensus.api.etcdserverpb.DefragmentRequest;
import dev.consensus.api.etcdserverpb.DefragmentResponse;
import dev.consensus.api.etcdserverpb.HashKVRequest;
import dev.consensus.api.etcdserverpb.HashKVResponse;
import dev.consensus.api.etcdserverpb.HashRequest;
import dev.consensus.api.etcdserverpb.HashResponse;
import dev.consensus.api.etcdserverpb.MaintenanceGrpc;
import dev.consensus.api.etcdserverpb.MoveLeaderRequest;
import dev.consensus.api.etcdserverpb.MoveLeaderResponse;
import dev.consensus.api.etcdserverpb.SnapshotRequest;
import dev.consensus.api.etcdserverpb.SnapshotResponse;
import dev.consensus.api.etcdserverpb.StatusRequest;
import dev.consensus.api.etcdserverpb.StatusResponse;
import dev.consensus.store.server.MaintenanceOperations;
import dev.consensus.store.server.SnapshotExport;
import dev.consensus.store.server.StoreServer;
import io.grpc.stub.StreamObserver;
import java.io.IOException;

/** etcd's Maintenance service. */
final class MaintenanceApi extends MaintenanceGrpc.MaintenanceImplBase {

    /** etcd sends snapshots in 32 KiB chunks. */
    private static final int SNAPSHOT_CHUNK = 32 * 1024;

    private final StoreServer server;
    private final MaintenanceOperations maintenance;

    MaintenanceApi(StoreServer server, MaintenanceOperations maintenance) {
        this.server = server;
        this.maintenance = maintenance;
    }

    @Override
    public void status(StatusRequest request, StreamObserver<StatusResponse> observer) {
        Replies.now(observer, maintenance::status);
    }

    @Override
    public void alarm(AlarmRequest request, StreamObserver<AlarmResponse> observer) {
        Replies.unary(observer, () -> maintenance.alarm(request));
    }

    @Override
    public void moveLeader(MoveLeaderRequest request, StreamObserver<MoveLeaderResponse> observer) {
        Replies.unary(observer, () -> maintenance.moveLeader(request.getTargetID()));
    }

    @Override
    public void defragment(DefragmentRequest request, StreamObserver<DefragmentResponse> observer) {
        Replies.now(observer, maintenance::defragment);
    }

    @Override
    public void hash(HashRequest request, StreamObserver<HashResponse> observer) {
        Replies.now(observer, maintenance::hash);
    }

    @Override
    public void hashKV(HashKVRequest request, StreamObserver<HashKVResponse> observer) {
        Replies.now(observer, () -> maintenance.hashKv(request.getRevision()));
    }

    @Override
    public void snapshot(SnapshotRequest request, StreamObserver<SnapshotResponse> observer) {
        try (SnapshotExport export = maintenance.snapshot()) {
            long remaining = export.size();
            for (byte[] chunk = export.next(SNAPSHOT_CHUNK); chunk != null; chunk = export.next(SNAPSHOT_CHUNK)) {
                remaining -= chunk.length;
                observer.onNext(SnapshotResponse.newBuilder()
                        .setHeader(dev.consensus.api.etcdserverpb.ResponseHeader.newBuilder()
                                .setClusterId(server.clusterId()).setMemberId(server.memberId())
                                .setRaftTerm(server.term()))
                        .setRemainingBytes(remaining).setBlob(ByteString.copyFrom(chunk)).build());
            }
            observer.onCompleted();
        } catch (IOException | RuntimeException e) {
            observer.onError(Replies.toStatus(e));
        }
    }
}
