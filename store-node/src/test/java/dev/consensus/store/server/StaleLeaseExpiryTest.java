package dev.consensus.store.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.consensus.api.etcdserverpb.KVGrpc;
import dev.consensus.api.etcdserverpb.LeaseGrantRequest;
import dev.consensus.api.etcdserverpb.LeaseGrpc;
import dev.consensus.api.etcdserverpb.LeaseTimeToLiveRequest;
import dev.consensus.api.etcdserverpb.PutRequest;
import dev.consensus.api.etcdserverpb.RangeRequest;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Only the leader that found a lease past its deadline, in the term it found it, may propose the
 * revoke. Found by the fault harness (mixed, seed 16): a leader frozen with SIGSTOP past a lease's
 * deadline resumed, its expiry round ran before it had stepped down in its lease keeper, and the
 * revoke it proposed, by then as a follower, was forwarded to the new leader and committed, just
 * after the new leader had renewed the lease for a client.
 */
class StaleLeaseExpiryTest {

    @TempDir
    Path dir;

    @Test
    void aMemberThatNoLongerLeadsDoesNotRevokeALeaseItsStaleDeadlinesSayExpired() throws Exception {
        try (InProcessCluster cluster = new InProcessCluster(dir).start(3)) {
            InProcessCluster.Node leader = cluster.awaitLeader();
            long id = LeaseGrpc.newBlockingStub(cluster.channel(leader))
                    .leaseGrant(LeaseGrantRequest.newBuilder().setTTL(30).build()).getID();
            InProcessCluster.Node follower = cluster.nodes().stream().filter(n -> n != leader).findFirst()
                    .orElseThrow();

            // The resumed old leader's state: its keeper still holds the lease, past its deadline,
            // while its Raft node already follows.
            long term = follower.server().nodeStatus().get(10, TimeUnit.SECONDS).term();
            follower.server().leases().promote(Map.of(id, 30L), -TimeUnit.SECONDS.toNanos(31), term);
            follower.server().expireLeases();

            // A put through the same follower is forwarded after any revoke the round proposed, so
            // once it is applied, a forwarded revoke would have been applied too.
            KVGrpc.newBlockingStub(cluster.channel(follower)).put(PutRequest.newBuilder()
                    .setKey(ByteString.copyFromUtf8("after-expiry-round")).setValue(ByteString.copyFromUtf8("v"))
                    .build());
            assertThat(KVGrpc.newBlockingStub(cluster.channel(leader)).range(RangeRequest.newBuilder()
                    .setKey(ByteString.copyFromUtf8("after-expiry-round")).build()).getCount()).isEqualTo(1);

            long ttl = LeaseGrpc.newBlockingStub(cluster.channel(leader))
                    .leaseTimeToLive(LeaseTimeToLiveRequest.newBuilder().setID(id).build()).getTTL();
            assertThat(ttl).as("the lease's TTL on the real leader (-1: revoked)").isPositive();
        }
    }
}
