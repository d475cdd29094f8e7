package dev.consensus.store.api;

import dev.consensus.api.etcdserverpb.ClusterGrpc;
import dev.consensus.api.etcdserverpb.MemberAddRequest;
import dev.consensus.api.etcdserverpb.MemberAddResponse;
import dev.consensus.api.etcdserverpb.MemberListRequest;
import dev.consensus.api.etcdserverpb.MemberListResponse;
import dev.consensus.api.etcdserverpb.MemberPromoteRequest;
import dev.consensus.api.etcdserverpb.MemberPromoteResponse;
import dev.consensus.api.etcdserverpb.MemberRemoveRequest;
import dev.consensus.api.etcdserverpb.MemberRemoveResponse;
import dev.consensus.api.etcdserverpb.MemberUpdateRequest;
import dev.consensus.api.etcdserverpb.MemberUpdateResponse;
import dev.consensus.store.server.ClusterOperations;
import dev.consensus.store.server.ForwardToLeader;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.TimeUnit;

/** etcd's Cluster service; promote and removing the leader go to the leader when asked elsewhere. */
final class ClusterApi extends ClusterGrpc.ClusterImplBase {

    private final ClusterOperations cluster;
    private final LeaderForwarder forwarder;

    ClusterApi(ClusterOperations cluster, LeaderForwarder forwarder) {
        this.cluster = cluster;
        this.forwarder = forwarder;
    }

    @Override
    public void memberAdd(MemberAddRequest request, StreamObserver<MemberAddResponse> observer) {
        Replies.unary(observer, () -> cluster.add(request));
    }

    @Override
    public void memberRemove(MemberRemoveRequest request, StreamObserver<MemberRemoveResponse> observer) {
        Replies.unary(observer, () -> {
            try {
                return cluster.remove(request.getID());
            } catch (ForwardToLeader forward) {
                return Forwarding.unary(o -> leaderStub().memberRemove(request, o));
            }
        });
    }

    @Override
    public void memberUpdate(MemberUpdateRequest request, StreamObserver<MemberUpdateResponse> observer) {
        Replies.unary(observer, () -> cluster.update(request));
    }

    @Override
    public void memberList(MemberListRequest request, StreamObserver<MemberListResponse> observer) {
        Replies.now(observer, cluster::list);
    }

    @Override
    public void memberPromote(MemberPromoteRequest request, StreamObserver<MemberPromoteResponse> observer) {
        Replies.unary(observer, () -> {
            try {
                return cluster.promote(request.getID());
            } catch (ForwardToLeader forward) {
                return Forwarding.unary(o -> leaderStub().memberPromote(request, o));
            }
        });
    }

    private ClusterGrpc.ClusterStub leaderStub() {
        return ClusterGrpc.newStub(forwarder.leader())
                .withDeadlineAfter(LeaderForwarder.TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
}
