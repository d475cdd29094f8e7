package dev.consensus.store.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.consensus.api.etcdserverpb.ClusterGrpc;
import dev.consensus.api.etcdserverpb.KVGrpc;
import dev.consensus.api.etcdserverpb.MemberAddRequest;
import dev.consensus.api.etcdserverpb.MemberAddResponse;
import dev.consensus.api.etcdserverpb.MemberListRequest;
import dev.consensus.api.etcdserverpb.MemberPromoteRequest;
import dev.consensus.api.etcdserverpb.MemberRemoveRequest;
import dev.consensus.api.etcdserverpb.PutRequest;
import dev.consensus.api.etcdserverpb.RangeRequest;
import dev.consensus.api.etcdserverpb.RangeResponse;
import dev.consensus.store.testing.LoopbackPorts;
import io.grpc.StatusRuntimeException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Learners joining through a snapshot, promotion, leader loss and removal, on in-JVM members. */
class MembershipTest {

    @TempDir
    Path dir;

    private static ByteString bs(String s) {
        return ByteString.copyFromUtf8(s);
    }

    @Test
    void aLearnerCatchesUpThroughASnapshotAndIsPromotedOnlyOnceInSync() throws Exception {
        try (InProcessCluster cluster = new InProcessCluster(dir).snapshotEvery(200, 50).start(3)) {
            InProcessCluster.Node leader = cluster.awaitLeader();
            KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(cluster.channel(leader));
            for (int i = 0; i < 1000; i++) {
                kv.put(PutRequest.newBuilder().setKey(bs(String.format("key-%04d", i))).setValue(bs("v" + i)).build());
            }
            ClusterGrpc.ClusterBlockingStub members = ClusterGrpc.newBlockingStub(cluster.channel(leader));
            List<Integer> ports = LoopbackPorts.pick(2);
            URI peer = URI.create("http://127.0.0.1:" + ports.get(1));
            MemberAddResponse added = members.memberAdd(MemberAddRequest.newBuilder()
                    .addPeerURLs(peer.toString()).setIsLearner(true).build());
            long learnerId = added.getMember().getID();
            assertThat(added.getMember().getIsLearner()).isTrue();
            // Not running yet, so not in sync.
            assertThatThrownBy(() -> members.memberPromote(MemberPromoteRequest.newBuilder().setID(learnerId).build()))
                    .isInstanceOf(StatusRuntimeException.class)
                    .hasMessageContaining("can only promote a learner member which is in sync with leader");

            InProcessCluster.Node learner = cluster.startNodeJoining("m3", URI.create("http://127.0.0.1:" + ports.get(0)), peer);
            assertThat(learner.server().memberId()).isEqualTo(learnerId);
            InProcessCluster.await(() -> learner.server().appliedIndex() >= leader.server().appliedIndex() - 5,
                    Duration.ofSeconds(30), "the learner to catch up");
            // The leader kept 50 entries after its last snapshot; the learner could not start from index 1.
            RangeResponse onLearner = KVGrpc.newBlockingStub(cluster.channel(learner)).range(RangeRequest.newBuilder()
                    .setKey(bs("key-")).setRangeEnd(bs("key.")).setSerializable(true).setCountOnly(true).build());
            assertThat(onLearner.getCount()).isEqualTo(1000);
            assertThatThrownBy(() -> KVGrpc.newBlockingStub(cluster.channel(learner))
                    .put(PutRequest.newBuilder().setKey(bs("x")).setValue(bs("y")).build()))
                    .hasMessageContaining("etcdserver: rpc not supported for learner");

            members.memberPromote(MemberPromoteRequest.newBuilder().setID(learnerId).build());
            assertThat(members.memberList(MemberListRequest.getDefaultInstance()).getMembersList())
                    .hasSize(4).noneMatch(m -> m.getIsLearner());
            InProcessCluster.await(() -> !learner.server().isLearner(), Duration.ofSeconds(10), "the promotion to apply");
            KVGrpc.newBlockingStub(cluster.channel(learner)).put(PutRequest.newBuilder().setKey(bs("x")).setValue(bs("y")).build());
        }
    }

    @Test
    void aVoterAddedDirectlyJoinsFromTheLogAndCounts() throws Exception {
        try (InProcessCluster cluster = new InProcessCluster(dir).start(3)) {
            InProcessCluster.Node leader = cluster.awaitLeader();
            KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(cluster.channel(leader));
            kv.put(PutRequest.newBuilder().setKey(bs("before")).setValue(bs("1")).build());
            List<Integer> ports = LoopbackPorts.pick(2);
            URI peer = URI.create("http://127.0.0.1:" + ports.get(1));
            MemberAddResponse added = ClusterGrpc.newBlockingStub(cluster.channel(leader)).memberAdd(
                    MemberAddRequest.newBuilder().addPeerURLs(peer.toString()).build());
            assertThat(added.getMember().getIsLearner()).isFalse();
            assertThat(added.getMembersList()).hasSize(4);
            InProcessCluster.Node voter = cluster.startNodeJoining("m3",
                    URI.create("http://127.0.0.1:" + ports.get(0)), peer);
            // Four voters now: losing two of the original three leaves no quorum without the new one.
            InProcessCluster.await(() -> voter.server().appliedIndex() >= leader.server().appliedIndex(),
                    Duration.ofSeconds(20), "the new voter to catch up");
            assertThat(voter.server().isLearner()).isFalse();
            InProcessCluster.Node other = cluster.nodes().stream()
                    .filter(n -> n != leader && n != voter).findFirst().orElseThrow();
            cluster.stop(other.name());
            kv.put(PutRequest.newBuilder().setKey(bs("after")).setValue(bs("2")).build());
            InProcessCluster.await(() -> KVGrpc.newBlockingStub(cluster.channel(voter)).range(RangeRequest.newBuilder()
                    .setKey(bs("after")).setSerializable(true).build()).getCount() == 1,
                    Duration.ofSeconds(10), "the write to reach the new voter");
        }
    }

    @Test
    void killingTheLeaderElectsANewOneAndKeepsEveryAcknowledgedWrite() throws Exception {
        try (InProcessCluster cluster = new InProcessCluster(dir).start(3)) {
            InProcessCluster.Node leader = cluster.awaitLeader();
            InProcessCluster.Node follower = cluster.nodes().stream().filter(n -> n != leader).findFirst().orElseThrow();
            KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(cluster.channel(follower));
            for (int i = 0; i < 100; i++) {
                kv.put(PutRequest.newBuilder().setKey(bs("k" + i)).setValue(bs("v" + i)).build());
            }
            cluster.stop(leader.name());
            InProcessCluster.Node next = cluster.awaitLeader();
            assertThat(next.name()).isNotEqualTo(leader.name());
            RangeResponse all = kv.range(RangeRequest.newBuilder().setKey(bs("k")).setRangeEnd(bs("l")).build());
            assertThat(all.getCount()).isEqualTo(100);
            kv.put(PutRequest.newBuilder().setKey(bs("after")).setValue(bs("1")).build());

            InProcessCluster.Node back = cluster.restart(leader);
            InProcessCluster.await(() -> back.server().appliedIndex() >= next.server().appliedIndex(),
                    Duration.ofSeconds(20), "the old leader to catch up");
            assertThat(KVGrpc.newBlockingStub(cluster.channel(back)).range(RangeRequest.newBuilder()
                    .setKey(bs("after")).setSerializable(true).build()).getCount()).isEqualTo(1);
        }
    }

    @Test
    void aVoterIsNotRemovedWhenTheRestCouldNotFormAnActiveQuorumButADownOneIs() throws Exception {
        try (InProcessCluster cluster = new InProcessCluster(dir).start(3)) {
            InProcessCluster.Node leader = cluster.awaitLeader();
            List<InProcessCluster.Node> followers = cluster.nodes().stream().filter(n -> n != leader).toList();
            InProcessCluster.Node down = followers.get(0);
            InProcessCluster.Node live = followers.get(1);
            long downId = down.server().memberId();
            cluster.stop(down.name());
            // Check-quorum clears a silent member's activity within an election timeout.
            InProcessCluster.await(() -> !leader.server().nodeStatus().join().progress().get(downId).recentActive(),
                    Duration.ofSeconds(10), "the leader to see the stopped member as inactive");
            ClusterGrpc.ClusterBlockingStub members = ClusterGrpc.newBlockingStub(cluster.channel(live));
            // Asked of a follower: the leader decides. Without the live follower only the leader
            // would be active, one of two: no quorum, so etcd's "unhealthy cluster".
            assertThatThrownBy(() -> members.memberRemove(MemberRemoveRequest.newBuilder()
                    .setID(live.server().memberId()).build()))
                    .isInstanceOf(StatusRuntimeException.class)
                    .hasMessageContaining("etcdserver: unhealthy cluster");
            assertThat(leader.server().cluster().members()).hasSize(3);
            // The stopped member is not part of the active quorum, so it may go.
            members.memberRemove(MemberRemoveRequest.newBuilder().setID(downId).build());
            InProcessCluster.await(() -> live.server().cluster().members().size() == 2, Duration.ofSeconds(10),
                    "the removal to apply");
        }
    }

    @Test
    void removingTheLeaderHandsLeadershipOverFirst() throws Exception {
        try (InProcessCluster cluster = new InProcessCluster(dir).start(3)) {
            InProcessCluster.Node leader = cluster.awaitLeader();
            InProcessCluster.Node follower = cluster.nodes().stream().filter(n -> n != leader).findFirst().orElseThrow();
            KVGrpc.newBlockingStub(cluster.channel(follower))
                    .put(PutRequest.newBuilder().setKey(bs("a")).setValue(bs("1")).build());
            // Asked of a follower: forwarded to the leader, which moves leadership, then is removed.
            ClusterGrpc.newBlockingStub(cluster.channel(follower))
                    .memberRemove(MemberRemoveRequest.newBuilder().setID(leader.server().memberId()).build());
            assertThat(leader.server().stopped().get(20, java.util.concurrent.TimeUnit.SECONDS))
                    .isEqualTo(StoreServer.StopReason.REMOVED);
            cluster.stop(leader.name());
            InProcessCluster.Node next = cluster.awaitLeader();
            assertThat(next.server().cluster().members()).hasSize(2).doesNotContainKey(leader.server().memberId());
            assertThat(KVGrpc.newBlockingStub(cluster.channel(next)).range(RangeRequest.newBuilder()
                    .setKey(bs("a")).build()).getCount()).isEqualTo(1);
        }
    }
}
