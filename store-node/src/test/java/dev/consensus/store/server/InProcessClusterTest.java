package dev.consensus.store.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.consensus.api.etcdserverpb.KVGrpc;
import dev.consensus.api.etcdserverpb.PutRequest;
import dev.consensus.api.etcdserverpb.RangeRequest;
import dev.consensus.api.etcdserverpb.RangeResponse;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InProcessClusterTest {

    @TempDir
    Path dir;

    private static ByteString bs(String s) {
        return ByteString.copyFromUtf8(s);
    }

    @Test
    void aThreeMemberClusterElectsALeaderAndServesWritesAndReadsFromEveryMember() throws Exception {
        try (InProcessCluster cluster = new InProcessCluster(dir).start(3)) {
            InProcessCluster.Node leader = cluster.awaitLeader();
            for (InProcessCluster.Node n : cluster.nodes()) {
                KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(cluster.channel(n));
                kv.put(PutRequest.newBuilder().setKey(bs("k-" + n.name())).setValue(bs("v")).build());
            }
            for (InProcessCluster.Node n : cluster.nodes()) {
                RangeResponse r = KVGrpc.newBlockingStub(cluster.channel(n))
                        .range(RangeRequest.newBuilder().setKey(bs("k-")).setRangeEnd(bs("k.")).build());
                assertThat(r.getCount()).isEqualTo(3);
                assertThat(r.getHeader().getClusterId()).isEqualTo(0xC0FFEEL);
                assertThat(r.getHeader().getMemberId()).isEqualTo(n.server().memberId());
                assertThat(r.getHeader().getRaftTerm()).isGreaterThan(0);
                assertThat(r.getHeader().getRevision()).isEqualTo(4);
            }
            assertThat(leader.server().isLeader()).isTrue();
        }
    }

    @Test
    void aMinorityRefusesLinearizableReadsAndWritesButAnswersSerializableReads() throws Exception {
        try (InProcessCluster cluster = new InProcessCluster(dir).start(3)) {
            cluster.awaitLeader();
            InProcessCluster.Node survivor = cluster.nodes().get(0);
            KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(cluster.channel(survivor));
            kv.put(PutRequest.newBuilder().setKey(bs("a")).setValue(bs("1")).build());
            InProcessCluster.await(() -> survivor.server().appliedIndex() >= 5, Duration.ofSeconds(10), "apply");
            cluster.stop("m1");
            cluster.stop("m2");
            InProcessCluster.await(() -> !survivor.server().status().hasLeader(), Duration.ofSeconds(10),
                    "the survivor to lose its leader");
            assertThatThrownBy(() -> kv.withDeadlineAfter(20, java.util.concurrent.TimeUnit.SECONDS)
                    .put(PutRequest.newBuilder().setKey(bs("b")).setValue(bs("2")).build()))
                    .isInstanceOf(StatusRuntimeException.class).hasMessageContaining("etcdserver: no leader");
            assertThatThrownBy(() -> kv.range(RangeRequest.newBuilder().setKey(bs("a")).build()))
                    .isInstanceOf(StatusRuntimeException.class).hasMessageContaining("etcdserver: no leader");
            RangeResponse local = kv.range(RangeRequest.newBuilder().setKey(bs("a")).setSerializable(true).build());
            assertThat(local.getKvs(0).getValue().toStringUtf8()).isEqualTo("1");
        }
    }
}
