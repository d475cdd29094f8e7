package dev.consensus.store.server;

import dev.consensus.api.etcdserverpb.LeaseGrantRequest;
import dev.consensus.api.etcdserverpb.LeaseGrantResponse;
import dev.consensus.api.etcdserverpb.LeaseKeepAliveResponse;
import dev.consensus.api.etcdserverpb.LeaseLeasesResponse;
import dev.consensus.api.etcdserverpb.LeaseRevokeRequest;
import dev.consensus.api.etcdserverpb.LeaseRevokeResponse;
import dev.consensus.api.etcdserverpb.LeaseStatus;
import dev.consensus.api.etcdserverpb.LeaseTimeToLiveRequest;
import dev.consensus.api.etcdserverpb.LeaseTimeToLiveResponse;
import dev.consensus.store.mvcc.LeaseInfo;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The Lease service's work. Grants and revokes go through Raft; keep-alives and remaining TTLs
 * are the leader's (deadlines live only in its memory), so a follower answers
 * {@link ForwardToLeader} and the gRPC layer forwards the call to the leader.
 */
public final class LeaseOperations {

    private final StoreServer server;
    private final Headers headers;
    private final KvOperations kv;

    public LeaseOperations(StoreServer server, KvOperations kv) {
        this.server = server;
        this.headers = new Headers(server);
        this.kv = kv;
    }

    public CompletableFuture<LeaseGrantResponse> grant(LeaseGrantRequest request) {
        Guards.notLearner(server);
        kv.checkQuota(request.getSerializedSize());
        return server.proposer().<LeaseGrantResponse>propose(new ServerRequest.LeaseGrant(request))
                .thenApply(r -> r.toBuilder().setHeader(headers.fill(r.getHeader())).build());
    }

    public CompletableFuture<LeaseRevokeResponse> revoke(LeaseRevokeRequest request) {
        Guards.notLearner(server);
        return server.proposer().<LeaseRevokeResponse>propose(new ServerRequest.LeaseRevoke(request))
                .thenApply(r -> r.toBuilder().setHeader(headers.fill(r.getHeader())).build());
    }

    /**
     * One keep-alive, answered only after this member has confirmed with a quorum that it still
     * leads (a ReadIndex round, as etcd does since 3.5): a leader frozen or cut off while another
     * was elected would otherwise renew the lease in its own memory only, and the real leader
     * would expire it just after the client was told it lives (fault run mixed, seed 13). Fails
     * with {@link ForwardToLeader} when this member no longer leads. A lease this leader does not
     * know gets TTL 0, as etcd answers.
     */
    public CompletableFuture<LeaseKeepAliveResponse> keepAlive(long leaseId) {
        Guards.notLearner(server);
        if (!server.leases().isPrimary()) {
            throw new ForwardToLeader();
        }
        return server.proposer().readIndex().handle((confirmed, error) -> {
            if (!server.leases().isPrimary()) {
                throw new ForwardToLeader();
            }
            if (error != null) {
                throw error instanceof CompletionException c ? c : new CompletionException(error);
            }
            OptionalLong ttl = server.leases().renew(leaseId);
            return LeaseKeepAliveResponse.newBuilder().setHeader(headers.current()).setID(leaseId)
                    .setTTL(ttl.orElse(0)).build();
        });
    }

    /** A lease unknown to the leader answers TTL -1, as etcd answers. */
    public LeaseTimeToLiveResponse timeToLive(LeaseTimeToLiveRequest request) {
        Guards.notLearner(server);
        if (!server.leases().isPrimary()) {
            throw new ForwardToLeader();
        }
        Optional<LeaseInfo> info = server.store().use(s -> s.lease(request.getID()));
        LeaseTimeToLiveResponse.Builder response = LeaseTimeToLiveResponse.newBuilder()
                .setHeader(headers.current()).setID(request.getID());
        if (info.isEmpty()) {
            return response.setTTL(-1).build();
        }
        response.setGrantedTTL(info.get().grantedTtlSeconds())
                .setTTL(server.leases().remainingSeconds(request.getID()).orElse(info.get().grantedTtlSeconds()));
        if (request.getKeys()) {
            response.addAllKeys(info.get().keys());
        }
        return response.build();
    }

    public LeaseLeasesResponse leases() {
        Guards.notLearner(server);
        List<Long> ids = server.store().use(s -> s.leases());
        LeaseLeasesResponse.Builder response = LeaseLeasesResponse.newBuilder().setHeader(headers.current());
        ids.forEach(id -> response.addLeases(LeaseStatus.newBuilder().setID(id)));
        return response.build();
    }
}
