package dev.consensus.store.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.consensus.api.etcdserverpb.KVGrpc;
import dev.consensus.api.etcdserverpb.PutRequest;
import dev.consensus.api.etcdserverpb.RangeRequest;
import dev.consensus.api.etcdserverpb.RangeResponse;
import dev.consensus.store.testing.ProcessCleanup;
import dev.consensus.store.testing.StoreNodeCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state machine's writes are not logged by RocksDB (docs/storage.md): a member killed with
 * SIGKILL loses whatever its memtables held, and must replay it from its Raft WAL on restart.
 * A one-member cluster shows it plainly: there is no other member to learn anything from.
 */
class CrashReplayIT {

    private static final int KEYS = 500;

    @RegisterExtension
    final ProcessCleanup cleanup = new ProcessCleanup();

    @TempDir
    Path dir;

    private final ProcessClusterClient client = new ProcessClusterClient();
    private StoreNodeCluster cluster;

    @AfterEach
    void stop() {
        client.close();
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aMemberKilledRightAfterAcknowledgedWritesHasThemAllAfterARestart() {
        cluster = new StoreNodeCluster(dir, cleanup).start(1);
        StoreNodeCluster.Member member = cluster.members().get(0);
        client.awaitLeader(cluster.members(), Duration.ofSeconds(20));
        KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(client.channel(member));
        long lastRevision = 0;
        for (int i = 0; i < KEYS; i++) {
            lastRevision = kv.withDeadlineAfter(10, TimeUnit.SECONDS).put(PutRequest.newBuilder()
                    .setKey(ByteString.copyFromUtf8(String.format("key-%04d", i)))
                    .setValue(ByteString.copyFromUtf8("value-" + i)).build()).getHeader().getRevision();
        }

        cluster.kill(member.name());
        cluster.restart(member.name());
        client.awaitLeader(cluster.members(), Duration.ofSeconds(20));
        Matcher replay = Pattern.compile("the key-value store is at applied index (\\d+) and the Raft log goes to (\\d+)")
                .matcher(member.process().log());
        assertThat(replay.find()).as("the restarted member says what it replays:%n%s", member.process().log()).isTrue();
        assertThat(Long.parseLong(replay.group(1))).as("the kill lost the unflushed writes")
                .isLessThan(Long.parseLong(replay.group(2)));

        RangeResponse all = KVGrpc.newBlockingStub(client.channel(member)).withDeadlineAfter(10, TimeUnit.SECONDS)
                .range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("key-"))
                        .setRangeEnd(ByteString.copyFromUtf8("key.")).build());
        assertThat(all.getCount()).isEqualTo(KEYS);
        for (int i = 0; i < KEYS; i++) {
            assertThat(all.getKvs(i).getKey().toStringUtf8()).isEqualTo(String.format("key-%04d", i));
            assertThat(all.getKvs(i).getValue().toStringUtf8()).isEqualTo("value-" + i);
        }
        assertThat(all.getHeader().getRevision()).as("the revision is where the acknowledged writes left it")
                .isGreaterThanOrEqualTo(lastRevision);
    }
}
