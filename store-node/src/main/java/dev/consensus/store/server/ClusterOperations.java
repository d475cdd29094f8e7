package dev.consensus.store.server;

import dev.consensus.api.etcdserverpb.MemberAddRequest;
import dev.consensus.api.etcdserverpb.MemberAddResponse;
import dev.consensus.api.etcdserverpb.MemberListResponse;
import dev.consensus.api.etcdserverpb.MemberPromoteResponse;
import dev.consensus.api.etcdserverpb.MemberRemoveResponse;
import dev.consensus.api.etcdserverpb.MemberUpdateRequest;
import dev.consensus.api.etcdserverpb.MemberUpdateResponse;
import dev.consensus.store.cluster.ClusterState;
import dev.consensus.store.cluster.Member;
import dev.consensus.store.cluster.MemberCodec;
import dev.consensus.store.raft.ConfChange;
import dev.consensus.store.raft.ConfChangeType;
import dev.consensus.store.raft.NodeStatus;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The Cluster service's work: membership changes as Raft configuration changes, with etcd's
 * checks (URLs unique, at most {@code --max-learners} learners, a voter added only when enough
 * members have started, a learner promoted only when in sync), and leadership moved off a leader
 * before it is removed.
 */
public final class ClusterOperations {

    private final StoreServer server;
    private final Headers headers;

    public ClusterOperations(StoreServer server) {
        this.server = server;
        this.headers = new Headers(server);
    }

    public CompletableFuture<MemberAddResponse> add(MemberAddRequest request) {
        Guards.notLearner(server);
        List<URI> urls = parseUrls(request.getPeerURLsList());
        ClusterState state = server.cluster();
        Set<URI> taken = new HashSet<>();
        state.members().values().forEach(m -> taken.addAll(m.peerUrls()));
        if (urls.stream().anyMatch(taken::contains)) {
            throw ServerError.PEER_URL_EXISTS.exception();
        }
        if (request.getIsLearner() && state.learnerCount() >= server.settings().maxLearners()) {
            throw ServerError.TOO_MANY_LEARNERS.exception();
        }
        if (!request.getIsLearner()) {
            long voters = state.members().values().stream().filter(m -> !m.learner()).count();
            long started = state.members().values().stream().filter(m -> !m.learner() && m.started()).count();
            if (started < (voters + 1) / 2 + 1) {
                throw ServerError.NOT_ENOUGH_STARTED.exception();
            }
        }
        long id = newMemberId(urls, server.settings().clusterToken());
        if (state.member(id).isPresent() || state.isRemoved(id)) {
            throw ServerError.MEMBER_EXISTS.exception();
        }
        Member member = new Member(id, "", urls, List.of(), request.getIsLearner());
        ConfChange change = new ConfChange(request.getIsLearner() ? ConfChangeType.ADD_LEARNER : ConfChangeType.ADD_VOTER, id);
        return server.proposer().proposeConfChange(change, MemberCodec.encode(member)).thenApply(applied -> {
            ClusterState after = (ClusterState) applied;
            return MemberAddResponse.newBuilder().setHeader(headers.current())
                    .setMember(toProto(after.member(id).orElse(member)))
                    .addAllMembers(toProto(after.members().values())).build();
        });
    }

    /**
     * Removes a member. A voter is removed only by the leader (asked elsewhere, the call goes
     * there), and only if the voters left can still form a quorum of started and active members,
     * etcd's strict reconfiguration check; the leader itself first hands leadership over.
     */
    public CompletableFuture<MemberRemoveResponse> remove(long id) {
        Guards.notLearner(server);
        ClusterState state = server.cluster();
        Member member = state.member(id).orElseThrow(ServerError.MEMBER_NOT_FOUND::exception);
        CompletableFuture<Void> before = CompletableFuture.completedFuture(null);
        if (!member.learner()) {
            if (!server.isLeader()) {
                throw new ForwardToLeader();
            }
            before = server.nodeStatus().thenCompose(status -> {
                checkQuorumSurvives(state, status, id);
                return id == server.memberId() ? moveLeadershipAway() : CompletableFuture.completedFuture(null);
            });
        }
        return before.thenCompose(v -> server.proposer()
                        .proposeConfChange(new ConfChange(ConfChangeType.REMOVE_MEMBER, id), new byte[0]))
                .thenApply(applied -> MemberRemoveResponse.newBuilder().setHeader(headers.current())
                        .addAllMembers(toProto(((ClusterState) applied).members().values())).build());
    }

    /**
     * etcd's two checks before a voter goes: a quorum of the remaining voters has started
     * ({@code not enough started members}), and a quorum of them is active as the leader sees it
     * ({@code unhealthy cluster}). Removing a member that is down is always allowed by the
     * second: it is not part of the active quorum.
     */
    private void checkQuorumSurvives(ClusterState state, NodeStatus status, long removed) {
        long remaining = 0;
        long started = 0;
        long active = 0;
        for (Member m : state.members().values()) {
            if (m.learner() || m.id() == removed) {
                continue;
            }
            remaining++;
            if (m.started()) {
                started++;
            }
            NodeStatus.MemberProgress p = status.progress().get(m.id());
            if (m.id() == server.memberId() || (p != null && p.recentActive())) {
                active++;
            }
        }
        long quorum = remaining / 2 + 1;
        if (started < quorum) {
            throw ServerError.NOT_ENOUGH_STARTED.exception();
        }
        if (active < quorum) {
            throw ServerError.UNHEALTHY.exception();
        }
    }

    public CompletableFuture<MemberUpdateResponse> update(MemberUpdateRequest request) {
        Guards.notLearner(server);
        List<URI> urls = parseUrls(request.getPeerURLsList());
        ClusterState state = server.cluster();
        if (state.member(request.getID()).isEmpty()) {
            throw ServerError.MEMBER_NOT_FOUND.exception();
        }
        for (Member m : state.members().values()) {
            if (m.id() != request.getID() && m.peerUrls().stream().anyMatch(urls::contains)) {
                throw ServerError.PEER_URL_EXISTS.exception();
            }
        }
        return server.proposer().<ClusterState>propose(new ServerRequest.UpdatePeerUrls(request.getID(), urls))
                .thenApply(after -> MemberUpdateResponse.newBuilder().setHeader(headers.current())
                        .addAllMembers(toProto(after.members().values())).build());
    }

    public MemberListResponse list() {
        Guards.notLearner(server);
        return MemberListResponse.newBuilder().setHeader(headers.current())
                .addAllMembers(toProto(server.cluster().members().values())).build();
    }

    /** etcd's rule: the learner's match index is within 10% of the leader's. */
    public CompletableFuture<MemberPromoteResponse> promote(long id) {
        Guards.notLearner(server);
        if (!server.isLeader()) {
            throw new ForwardToLeader();
        }
        Member member = server.cluster().member(id).orElseThrow(ServerError.MEMBER_NOT_FOUND::exception);
        if (!member.learner()) {
            throw ServerError.MEMBER_NOT_LEARNER.exception();
        }
        return server.nodeStatus().thenCompose(status -> {
            NodeStatus.MemberProgress learner = status.progress().get(id);
            NodeStatus.MemberProgress leader = status.progress().get(server.memberId());
            if (learner == null || leader == null || learner.match() < leader.match() * 0.9) {
                throw ServerError.LEARNER_NOT_READY.exception();
            }
            return server.proposer().proposeConfChange(new ConfChange(ConfChangeType.PROMOTE_LEARNER, id), new byte[0]);
        }).thenApply(applied -> MemberPromoteResponse.newBuilder().setHeader(headers.current())
                .addAllMembers(toProto(((ClusterState) applied).members().values())).build());
    }

    /** Hands leadership to the most up-to-date other voter and waits until it leads. */
    CompletableFuture<Void> moveLeadershipAway() {
        return server.nodeStatus().thenCompose(status -> {
            long best = 0;
            long bestMatch = -1;
            for (var e : status.progress().entrySet()) {
                if (e.getKey() != server.memberId() && !e.getValue().learner() && e.getValue().match() > bestMatch) {
                    best = e.getKey();
                    bestMatch = e.getValue().match();
                }
            }
            if (best == 0) {
                return CompletableFuture.completedFuture(null);
            }
            return transferLeadership(best);
        });
    }

    /** Asks the core to transfer leadership and completes once {@code target} leads. */
    CompletableFuture<Void> transferLeadership(long target) {
        CompletableFuture<Void> led = server.status().awaitLeader(target);
        server.loop().submit(n -> n.transferLeadership(target));
        return server.proposer().withTimeout(led);
    }

    static List<URI> parseUrls(List<String> texts) {
        if (texts.isEmpty()) {
            throw ServerError.BAD_MEMBER_URLS.exception();
        }
        List<URI> urls = new ArrayList<>();
        for (String text : texts) {
            try {
                URI u = new URI(text);
                if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https"))
                        || u.getHost() == null || u.getPort() < 0) {
                    throw ServerError.BAD_MEMBER_URLS.exception();
                }
                urls.add(u);
            } catch (URISyntaxException e) {
                throw ServerError.BAD_MEMBER_URLS.exception();
            }
        }
        return urls;
    }

    /** Like etcd: a hash of the peer URLs, the cluster token and the time, so re-adding gets a new id. */
    static long newMemberId(List<URI> urls, String token) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-1");
            urls.stream().map(URI::toString).sorted().forEach(u -> sha.update(u.getBytes(StandardCharsets.UTF_8)));
            sha.update(token.getBytes(StandardCharsets.UTF_8));
            sha.update(Long.toString(System.currentTimeMillis()).getBytes(StandardCharsets.UTF_8));
            byte[] d = sha.digest();
            long id = 0;
            for (int i = 0; i < 8; i++) {
                id = (id << 8) | (d[i] & 0xff);
            }
            return id == 0 ? 1 : id;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static dev.consensus.api.etcdserverpb.Member toProto(Member m) {
        return dev.consensus.api.etcdserverpb.Member.newBuilder().setID(m.id()).setName(m.name())
                .addAllPeerURLs(m.peerUrls().stream().map(URI::toString).toList())
                .addAllClientURLs(m.clientUrls().stream().map(URI::toString).toList())
                .setIsLearner(m.learner()).build();
    }

    static List<dev.consensus.api.etcdserverpb.Member> toProto(Collection<Member> members) {
        return members.stream().map(ClusterOperations::toProto).toList();
    }
}
