package dev.consensus.store.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.consensus.api.etcdserverpb.AlarmRequest;
import dev.consensus.api.etcdserverpb.AlarmType;
import dev.consensus.api.etcdserverpb.DeleteRangeRequest;
import dev.consensus.api.etcdserverpb.KVGrpc;
import dev.consensus.api.etcdserverpb.LeaseGrantRequest;
import dev.consensus.api.etcdserverpb.LeaseGrpc;
import dev.consensus.api.etcdserverpb.MaintenanceGrpc;
import dev.consensus.api.etcdserverpb.PutRequest;
import dev.consensus.api.etcdserverpb.RangeRequest;
import dev.consensus.api.etcdserverpb.RequestOp;
import dev.consensus.api.etcdserverpb.StatusRequest;
import dev.consensus.api.etcdserverpb.TxnRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's limits and timers, each answered in etcd's words and gRPC codes. */
class ServerLimitsTest {

    @TempDir
    Path dir;

    private static ByteString bs(String s) {
        return ByteString.copyFromUtf8(s);
    }

    @Test
    void theBackendQuotaRaisesNospaceRefusesWritesUntilDisarmedAndStatusShowsIt() throws Exception {
        try (InProcessCluster cluster = new InProcessCluster(dir).limits(6L * 1024 * 1024, 1536 * 1024).start(3)) {
            InProcessCluster.Node leader = cluster.awaitLeader();
            KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(cluster.channel(leader));
            ByteString big = ByteString.copyFrom(new byte[1024 * 1024]);
            StatusRuntimeException refused = null;
            for (int i = 0; i < 20 && refused == null; i++) {
                try {
                    kv.put(PutRequest.newBuilder().setKey(bs("big" + i)).setValue(big).build());
                } catch (StatusRuntimeException e) {
                    refused = e;
                }
            }
            assertThat(refused).isNotNull();
            assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(refused.getStatus().getDescription()).isEqualTo("etcdserver: mvcc: database space exceeded");
            MaintenanceGrpc.MaintenanceBlockingStub maintenance = MaintenanceGrpc.newBlockingStub(cluster.channel(leader));
            InProcessCluster.await(() -> !maintenance.status(StatusRequest.getDefaultInstance()).getErrorsList().isEmpty(),
                    Duration.ofSeconds(10), "the alarm to show in status");
            assertThat(maintenance.status(StatusRequest.getDefaultInstance()).getErrors(0)).contains("alarm:NOSPACE");
            assertThat(maintenance.alarm(AlarmRequest.newBuilder().setAction(AlarmRequest.AlarmAction.GET).build())
                    .getAlarmsList()).anyMatch(a -> a.getAlarm() == AlarmType.NOSPACE);
            // Small writes are refused too while the alarm is up; deletes are not.
            assertThatThrownBy(() -> kv.put(PutRequest.newBuilder().setKey(bs("small")).setValue(bs("x")).build()))
                    .hasMessageContaining("database space exceeded");
            kv.deleteRange(DeleteRangeRequest.newBuilder().setKey(bs("big")).setRangeEnd(bs("bih")).build());
            maintenance.alarm(AlarmRequest.newBuilder().setAction(AlarmRequest.AlarmAction.DEACTIVATE)
                    .setMemberID(leader.server().memberId()).setAlarm(AlarmType.NOSPACE).build());
            InProcessCluster.await(() -> maintenance.status(StatusRequest.getDefaultInstance()).getErrorsList().isEmpty(),
                    Duration.ofSeconds(10), "the alarm to clear");
        }
    }

    @Test
    void requestSizeAndTxnOpsLimitsAreEtcds() throws Exception {
        try (InProcessCluster cluster = new InProcessCluster(dir).limits(1L << 30, 64 * 1024).start(3)) {
            InProcessCluster.Node leader = cluster.awaitLeader();
            KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(cluster.channel(leader));
            StatusRuntimeException tooLarge = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
                    () -> kv.put(PutRequest.newBuilder().setKey(bs("k")).setValue(ByteString.copyFrom(new byte[100 * 1024])).build()));
            assertThat(tooLarge.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(tooLarge.getStatus().getDescription()).isEqualTo("etcdserver: request is too large");
            TxnRequest.Builder txn = TxnRequest.newBuilder();
            for (int i = 0; i < 129; i++) {
                txn.addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(bs("t" + i))));
            }
            assertThatThrownBy(() -> kv.txn(txn.build())).hasMessageContaining("etcdserver: too many operations in txn request");
        }
    }

    @Test
    void theShortestLeaseFollowsTheElectionTimeoutAsEtcdsDoes() throws Exception {
        // 50 ms heartbeats and a 500 ms election timeout: 1.5 election timeouts is 750 ms, so 1 s.
        try (InProcessCluster cluster = new InProcessCluster(dir).start(1)) {
            LeaseGrpc.LeaseBlockingStub lease = LeaseGrpc.newBlockingStub(cluster.channel(cluster.awaitLeader()));
            assertThat(lease.leaseGrant(LeaseGrantRequest.newBuilder().setTTL(0).build()).getTTL()).isEqualTo(1);
            assertThat(lease.leaseGrant(LeaseGrantRequest.newBuilder().setTTL(7).build()).getTTL()).isEqualTo(7);
        }
        assertThat(settings(100, 1000).minLeaseTtlSeconds()).as("etcd's defaults").isEqualTo(2);
        assertThat(settings(100, 5000).minLeaseTtlSeconds()).as("75 ticks of 100 ms").isEqualTo(8);
    }

    private static ServerSettings settings(long heartbeatMillis, long electionMillis) {
        return new ServerSettings("m", Path.of("m"), List.of(), List.of(), List.of(), 1, false, "t",
                heartbeatMillis, electionMillis, 100_000, 5_000, 1 << 20, 128, 1 << 30, 1, Duration.ofMinutes(10));
    }

    @Test
    void anExpiredLeaseIsRevokedByTheLeaderAndItsKeysVanish() throws Exception {
        try (InProcessCluster cluster = new InProcessCluster(dir).start(3)) {
            InProcessCluster.Node leader = cluster.awaitLeader();
            InProcessCluster.Node follower = cluster.nodes().stream().filter(n -> n != leader).findFirst().orElseThrow();
            long id = LeaseGrpc.newBlockingStub(cluster.channel(follower))
                    .leaseGrant(LeaseGrantRequest.newBuilder().setTTL(2).build()).getID();
            KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(cluster.channel(follower));
            kv.put(PutRequest.newBuilder().setKey(bs("leased")).setValue(bs("v")).setLease(id).build());
            assertThat(kv.range(RangeRequest.newBuilder().setKey(bs("leased")).build()).getCount()).isEqualTo(1);
            InProcessCluster.await(() -> kv.range(RangeRequest.newBuilder().setKey(bs("leased")).build()).getCount() == 0,
                    Duration.ofSeconds(15), "the lease to expire");
        }
    }
}
