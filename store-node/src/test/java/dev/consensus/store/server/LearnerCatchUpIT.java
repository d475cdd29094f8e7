package dev.consensus.store.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.consensus.api.etcdserverpb.ClusterGrpc;
import dev.consensus.api.etcdserverpb.KVGrpc;
import dev.consensus.api.etcdserverpb.MemberAddRequest;
import dev.consensus.api.etcdserverpb.MemberListRequest;
import dev.consensus.api.etcdserverpb.MemberPromoteRequest;
import dev.consensus.api.etcdserverpb.PutRequest;
import dev.consensus.api.etcdserverpb.PutResponse;
import dev.consensus.api.etcdserverpb.RangeRequest;
import dev.consensus.api.etcdserverpb.StatusResponse;
import dev.consensus.store.testing.LoopbackPorts;
import dev.consensus.store.testing.ProcessCleanup;
import dev.consensus.store.testing.StoreNodeCluster;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A learner joins a 3-member cluster of real processes holding over 100 MB; the leader's log is
 * compacted, so it catches up through a streamed snapshot. Promote is refused while it lags and
 * accepted once it is in sync; the voters (and so the failure tolerance) never change meanwhile.
 */
class LearnerCatchUpIT {

    private static final int VALUE_BYTES = 256 * 1024;
    private static final int KEYS = 420; // 105 MB of values

    @RegisterExtension
    final ProcessCleanup cleanup = new ProcessCleanup();

    @TempDir
    Path dir;

    @Test
    void aLearnerCatchesUpOnOverAHundredMegabytesThroughASnapshotAndIsPromotedOnlyWhenInSync() throws Exception {
        try (StoreNodeCluster cluster = new StoreNodeCluster(dir, cleanup).withFlags("--snapshot-count=100").start(3);
                ProcessClusterClient client = new ProcessClusterClient()) {
            StoreNodeCluster.Member leader = client.awaitLeader(cluster.members(), Duration.ofSeconds(20));
            KVGrpc.KVFutureStub kv = KVGrpc.newFutureStub(client.channel(leader));
            Random random = new Random(42);
            List<com.google.common.util.concurrent.ListenableFuture<PutResponse>> inFlight = new ArrayList<>();
            for (int i = 0; i < KEYS; i++) {
                byte[] value = new byte[VALUE_BYTES];
                random.nextBytes(value);
                inFlight.add(kv.withDeadlineAfter(60, TimeUnit.SECONDS).put(PutRequest.newBuilder()
                        .setKey(ByteString.copyFromUtf8(String.format("blob-%04d", i)))
                        .setValue(ByteString.copyFrom(value)).build()));
                if (inFlight.size() == 16) {
                    for (var f : inFlight) {
                        f.get(60, TimeUnit.SECONDS);
                    }
                    inFlight.clear();
                }
            }
            for (var f : inFlight) {
                f.get(60, TimeUnit.SECONDS);
            }
            StatusResponse before = client.status(leader).orElseThrow();
            assertThat(before.getDbSize()).isGreaterThan(100L * 1000 * 1000);

            ClusterGrpc.ClusterBlockingStub members = ClusterGrpc.newBlockingStub(client.channel(leader));
            List<Integer> ports = LoopbackPorts.pick(2);
            long learnerId = members.memberAdd(MemberAddRequest.newBuilder()
                    .addPeerURLs("http://127.0.0.1:" + ports.get(1)).setIsLearner(true).build()).getMember().getID();
            // Not started yet, so certainly behind: refused.
            StatusRuntimeException lagging = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
                    () -> members.memberPromote(MemberPromoteRequest.newBuilder().setID(learnerId).build()));
            assertThat(lagging.getStatus().getDescription())
                    .isEqualTo("etcdserver: can only promote a learner member which is in sync with leader");
            StoreNodeCluster.Member learner = cluster.join("m3", ports.get(0), ports.get(1));

            Awaitility.await("the learner to be promoted").atMost(Duration.ofSeconds(180))
                    .pollInterval(Duration.ofMillis(250)).until(() -> {
                        // Failure tolerance never drops: three voters all along, the learner not counted.
                        assertThat(members.memberList(MemberListRequest.getDefaultInstance()).getMembersList()
                                .stream().filter(m -> !m.getIsLearner())).hasSize(3);
                        try {
                            members.memberPromote(MemberPromoteRequest.newBuilder().setID(learnerId).build());
                            return true;
                        } catch (StatusRuntimeException e) {
                            assertThat(e.getStatus().getDescription()).isEqualTo(
                                    "etcdserver: can only promote a learner member which is in sync with leader");
                            return false;
                        }
                    });
            // Promotion looks at the Raft log; the state machine may still be installing the
            // snapshot's 100 MB, so wait (bounded) for it to say so and to hold every key.
            KVGrpc.KVBlockingStub onLearner = KVGrpc.newBlockingStub(client.channel(learner));
            RangeRequest countAll = RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("blob-"))
                    .setRangeEnd(ByteString.copyFromUtf8("blob.")).setSerializable(true).setCountOnly(true).build();
            Awaitility.await("the learner to install the snapshot and hold every key")
                    .atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                        assertThat(learner.process().log()).contains("applied snapshot at index");
                        assertThat(onLearner.range(countAll).getCount()).isEqualTo(KEYS);
                    });
            assertThat(members.memberList(MemberListRequest.getDefaultInstance()).getMembersList())
                    .hasSize(4).noneMatch(m -> m.getIsLearner());
        }
    }
}
