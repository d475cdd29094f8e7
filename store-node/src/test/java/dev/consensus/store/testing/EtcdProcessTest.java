package dev.consensus.store.testing;

import static dev.consensus.store.testing.EtcdRequests.bytes;
import static dev.consensus.store.testing.EtcdRequests.rpcError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.consensus.api.etcdserverpb.PutRequest;
import dev.consensus.api.etcdserverpb.RequestOp;
import dev.consensus.api.etcdserverpb.TxnRequest;
import io.grpc.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The etcd fixture keeps its promises: it starts, passes flags through, stops what it started. */
class EtcdProcessTest {

    @TempDir
    Path tempDir;

    @Test
    void close_stops_the_process_it_started_and_deletes_nothing() throws Exception {
        EtcdProcess etcd = EtcdProcess.start(tempDir);
        long pid = etcd.pid();
        assertThat(ProcessHandle.of(pid)).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());

        etcd.close();
        etcd.close();

        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(etcd.directory().getParent()).isEqualTo(tempDir);
        assertThat(etcd.directory().resolve("data")).isDirectory();
        assertThat(Files.size(etcd.logFile())).isPositive();
        try (Stream<Path> left = Files.list(etcd.directory())) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("data", "etcd.log");
        }
    }

    @Test
    void extra_args_reach_etcd_and_etcdctl_failures_are_captured() {
        try (EtcdProcess etcd = EtcdProcess.start(tempDir, List.of("--max-txn-ops=2"))) {
            RequestOp op = RequestOp.newBuilder()
                    .setRequestPut(PutRequest.newBuilder().setKey(bytes("/k")).setValue(bytes("v"))).build();
            TxnRequest threeOps = TxnRequest.newBuilder().addSuccess(op).addSuccess(op).addSuccess(op).build();

            assertThat(rpcError(() -> etcd.kv().txn(threeOps)))
                    .isEqualTo(Status.Code.INVALID_ARGUMENT + ": etcdserver: too many operations in txn request");

            EtcdctlResult bad = etcd.etcdctl("get");
            assertThat(bad.exitCode()).isNotZero();
            assertThat(bad.stderr()).contains("get command needs one argument");
        }
    }

    @Test
    void a_flag_etcd_rejects_fails_the_start_with_etcds_own_message() {
        assertThatThrownBy(() -> EtcdProcess.start(tempDir, List.of("--no-such-flag")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("etcd exited with")
                .hasMessageContaining("flag provided but not defined: -no-such-flag");
    }
}
