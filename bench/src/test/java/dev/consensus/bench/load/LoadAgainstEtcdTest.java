package dev.consensus.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.consensus.api.etcdserverpb.KVGrpc;
import dev.consensus.api.etcdserverpb.RangeRequest;
import dev.consensus.api.etcdserverpb.RangeResponse;
import dev.consensus.bench.cluster.LocalCluster;
import dev.consensus.bench.cluster.TestEtcd;
import dev.consensus.bench.cluster.TestPorts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each workload, briefly, against one real etcd. Runs are bounded by a request count, not by
 * time, so that every figure checked is exact.
 */
class LoadAgainstEtcdTest {

    @TempDir
    static Path dir;

    private static LocalCluster etcd;

    @BeforeAll
    static void startEtcd() {
        etcd = LocalCluster.start(TestEtcd.command(), 1, dir, LocalCluster.Timing.ETCD_DEFAULT, Duration.ofSeconds(20));
    }

    @AfterAll
    static void stopEtcd() {
        if (etcd != null) {
            etcd.close();
        }
    }

    private static LoadSpec spec(Workload workload, String prefix) {
        return LoadSpec.defaults(etcd.endpoints(), workload).withClients(4).withConns(2).withLimits(200, Duration.ZERO)
                .withKeys(50, prefix);
    }

    @Test
    void putWritesTheValuesItSays() {
        LoadResult result = LoadRunner.run(spec(Workload.PUT, "t/put/").withValueSize(100));
        assertThat(result.errors()).isEmpty();
        assertThat(result.ops()).isEqualTo(200);
        assertThat(result.latency().count()).isEqualTo(200);
        assertThat(result.opsPerSecond()).isPositive();
        RangeResponse written = kv().range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("t/put/"))
                .setRangeEnd(ByteString.copyFromUtf8("t/put0")).build());
        assertThat(written.getCount()).isBetween(1L, 50L);
        assertThat(written.getKvsList()).allSatisfy(kv -> {
            assertThat(kv.getKey().toStringUtf8()).matches("t/put/\\d{8}");
            assertThat(kv.getValue().size()).isEqualTo(100);
        });
    }

    @Test
    void rangeReadsKeysItWroteFirst() {
        for (Consistency consistency : Consistency.values()) {
            LoadResult result = LoadRunner.run(spec(Workload.RANGE, "t/range/").withConsistency(consistency));
            assertThat(result.errors()).isEmpty();
            assertThat(result.ops()).isEqualTo(200);
            assertThat(result.details()).containsEntry("consistency", consistency.cliName())
                    .containsEntry("prefilled", 50L).containsEntry("prefill_errors", 0L)
                    .containsEntry("empty_responses", 0L);
        }
    }

    @Test
    void txnCasCountsEveryTransactionAsSwappedOrConflicting() {
        // Four clients on five keys: lost races are certain to be possible, and each is retried
        // with the revision the failed txn returned.
        LoadResult result = LoadRunner.run(spec(Workload.TXN_CAS, "t/cas/").withKeys(5, "t/cas/"));
        assertThat(result.errors()).isEmpty();
        assertThat(result.ops()).isEqualTo(200);
        long swapped = (Long) result.details().get("cas_succeeded");
        long conflicts = (Long) result.details().get("cas_conflicts");
        assertThat(swapped + conflicts).isEqualTo(200);
        // Every successful swap is one put, so the keys' versions add up to the swaps.
        RangeResponse keys = kv().range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("t/cas/"))
                .setRangeEnd(ByteString.copyFromUtf8("t/cas0")).build());
        assertThat(keys.getKvsList().stream().mapToLong(kv -> kv.getVersion()).sum()).isEqualTo(swapped);
    }

    @Test
    void watchLatencyHearsEveryPutOnEveryWatcher() {
        LoadResult result = LoadRunner.run(spec(Workload.WATCH_LATENCY, "t/watch/").withClients(1).withWatchers(3)
                .withLimits(100, Duration.ZERO));
        assertThat(result.errors()).isEmpty();
        assertThat(result.ops()).isEqualTo(100);
        assertThat(result.details()).containsEntry("watchers", 3).containsEntry("events_delivered", 300L);
        assertThat(result.latency().count()).isEqualTo(300);
    }

    @Test
    void aWarmupIsNotCountedInTheWorkloadsOwnFigures() {
        LoadResult result = LoadRunner.run(spec(Workload.TXN_CAS, "t/warm-cas/").withLimits(40, Duration.ZERO)
                .withWarmup(Duration.ofMillis(200)));
        assertThat(result.errors()).isEmpty();
        assertThat(result.ops()).isEqualTo(40);
        assertThat((Long) result.details().get("cas_succeeded") + (Long) result.details().get("cas_conflicts"))
                .isEqualTo(40);
    }

    @Test
    void aWarmupIsNotCountedInWatchDelivery() {
        LoadResult result = LoadRunner.run(spec(Workload.WATCH_LATENCY, "t/warm/").withClients(1).withWatchers(2)
                .withLimits(30, Duration.ZERO).withWarmup(Duration.ofMillis(200)));
        assertThat(result.errors()).isEmpty();
        assertThat(result.ops()).isEqualTo(30);
        assertThat(result.details()).containsEntry("events_delivered", 60L);
    }

    @Test
    void theCommandPrintsJson() {
        LoadArgumentsTest.Output output = new LoadArgumentsTest.Output();
        String endpoint = etcd.endpoints().get(0).url();
        int status = LoadMain.run(new String[] {"put", "--endpoints", endpoint, "--total", "20", "--clients", "2",
            "--key-prefix", "t/json/", "--json"}, output.out, output.err);
        assertThat(status).isZero();
        String json = output.out().strip();
        assertThat(json).startsWith("{\"workload\":\"put\",").endsWith("}")
                .contains("\"endpoints\":[\"" + etcd.endpoints().get(0) + "\"]", "\"clients\":2", "\"ops\":20",
                        "\"latency_ms\":{\"count\":20,", "\"p99_9\":", "\"errors\":{}",
                        "\"details\":{\"value_size\":256,\"key_space\":10000}");
    }

    @Test
    void theCommandPrintsText() {
        LoadArgumentsTest.Output output = new LoadArgumentsTest.Output();
        int status = LoadMain.run(new String[] {"range", "--endpoints", etcd.endpoints().get(0).toString(),
            "--total", "20", "--key-space", "5", "--consistency", "s", "--key-prefix", "t/text/"}, output.out,
                output.err);
        assertThat(status).isZero();
        assertThat(output.out()).contains("workload           range (s), 5 keys", "requests           20 in ",
                "latency ms         p50 ", "errors             none", "empty_responses    0");
    }

    @Test
    void anEndpointWithNothingBehindItGivesErrorsByStatusAndExitsOne() {
        int closedPort = TestPorts.unused();
        LoadArgumentsTest.Output output = new LoadArgumentsTest.Output();
        int status = LoadMain.run(new String[] {"put", "--endpoints", "127.0.0.1:" + closedPort, "--total", "5",
            "--json"}, output.out, output.err);
        assertThat(status).isEqualTo(1);
        assertThat(output.out()).contains("\"ops\":0", "\"errors\":{\"UNAVAILABLE\":5}");
    }

    private static KVGrpc.KVBlockingStub kv() {
        return KVGrpc.newBlockingStub(etcd.channel(0)).withDeadlineAfter(10, TimeUnit.SECONDS);
    }
}
