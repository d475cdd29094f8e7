package dev.consensus.store.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.consensus.api.etcdserverpb.DefragmentRequest;
import dev.consensus.api.etcdserverpb.HashKVRequest;
import dev.consensus.api.etcdserverpb.HashKVResponse;
import dev.consensus.api.etcdserverpb.HashRequest;
import dev.consensus.api.etcdserverpb.KVGrpc;
import dev.consensus.api.etcdserverpb.LeaseGrantRequest;
import dev.consensus.api.etcdserverpb.LeaseGrpc;
import dev.consensus.api.etcdserverpb.LeaseTimeToLiveRequest;
import dev.consensus.api.etcdserverpb.MaintenanceGrpc;
import dev.consensus.api.etcdserverpb.PutRequest;
import dev.consensus.api.etcdserverpb.StatusRequest;
import dev.consensus.api.etcdserverpb.StatusResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Status, hashes and defragment on every member; lease deadlines across a leader change. */
class MaintenanceTest {

    @TempDir
    Path dir;

    @Test
    void everyMemberReportsStatusAndTheSameHashesAfterTheSameEntries() throws Exception {
        try (InProcessCluster cluster = new InProcessCluster(dir).start(3)) {
            InProcessCluster.Node leader = cluster.awaitLeader();
            KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(cluster.channel(leader));
            for (int i = 0; i < 50; i++) {
                kv.put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("k" + i % 10))
                        .setValue(ByteString.copyFromUtf8("v" + i)).build());
            }
            long revision = 51;
            long lastIndex = leader.server().appliedIndex();
            Set<Integer> hashes = new HashSet<>();
            Set<Integer> kvHashes = new HashSet<>();
            for (InProcessCluster.Node n : cluster.nodes()) {
                InProcessCluster.await(() -> n.server().appliedIndex() >= lastIndex, Duration.ofSeconds(10), "apply");
                MaintenanceGrpc.MaintenanceBlockingStub m = MaintenanceGrpc.newBlockingStub(cluster.channel(n));
                StatusResponse status = m.status(StatusRequest.getDefaultInstance());
                assertThat(status.getVersion()).isEqualTo(MaintenanceOperations.REPORTED_VERSION);
                assertThat(status.getLeader()).isEqualTo(leader.server().memberId());
                assertThat(status.getHeader().getMemberId()).isEqualTo(n.server().memberId());
                assertThat(status.getRaftAppliedIndex()).isGreaterThanOrEqualTo(lastIndex);
                assertThat(status.getRaftIndex()).isGreaterThanOrEqualTo(status.getRaftAppliedIndex());
                assertThat(status.getDbSize()).isPositive();
                assertThat(status.getIsLearner()).isFalse();
                HashKVResponse hashKv = m.hashKV(HashKVRequest.newBuilder().setRevision(revision).build());
                assertThat(hashKv.getHeader().getRevision()).isEqualTo(revision);
                kvHashes.add(hashKv.getHash());
                m.defragment(DefragmentRequest.getDefaultInstance());
                hashes.add(m.hash(HashRequest.getDefaultInstance()).getHash());
            }
            assertThat(kvHashes).hasSize(1);
            assertThat(hashes).hasSize(1);
        }
    }

    @Test
    void aNewLeaderStartsEveryLeaseAfreshAtItsFullTtl() throws Exception {
        try (InProcessCluster cluster = new InProcessCluster(dir).start(3)) {
            InProcessCluster.Node leader = cluster.awaitLeader();
            InProcessCluster.Node follower = cluster.nodes().stream().filter(n -> n != leader).findFirst().orElseThrow();
            LeaseGrpc.LeaseBlockingStub leases = LeaseGrpc.newBlockingStub(cluster.channel(follower));
            long id = leases.leaseGrant(LeaseGrantRequest.newBuilder().setTTL(10).build()).getID();
            LeaseTimeToLiveRequest ttl = LeaseTimeToLiveRequest.newBuilder().setID(id).build();
            long[] seen = {10};
            InProcessCluster.await(() -> (seen[0] = leases.leaseTimeToLive(ttl).getTTL()) <= 8, Duration.ofSeconds(20),
                    "the lease to run down a little");
            cluster.stop(leader.name());
            InProcessCluster.Node next = cluster.awaitLeader();
            // The new leader did not carry the old deadline over (it could only be lower than what
            // was seen): it restarted the lease at its full TTL.
            assertThat(LeaseGrpc.newBlockingStub(cluster.channel(next)).leaseTimeToLive(ttl).getTTL())
                    .isGreaterThan(seen[0]);
        }
    }
}
