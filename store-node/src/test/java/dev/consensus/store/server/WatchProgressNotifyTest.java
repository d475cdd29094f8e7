package dev.consensus.store.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.consensus.api.etcdserverpb.KVGrpc;
import dev.consensus.api.etcdserverpb.PutRequest;
import dev.consensus.api.etcdserverpb.WatchCreateRequest;
import dev.consensus.api.etcdserverpb.WatchGrpc;
import dev.consensus.api.etcdserverpb.WatchRequest;
import dev.consensus.api.etcdserverpb.WatchResponse;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** etcd's periodic progress notification (--experimental-watch-progress-notify-interval). */
class WatchProgressNotifyTest {

    @TempDir
    Path dir;

    @Test
    void aQuietWatchCreatedWithProgressNotifyHearsTheCurrentRevisionEachInterval() throws Exception {
        try (InProcessCluster cluster = new InProcessCluster(dir).watchProgress(Duration.ofMillis(200)).start(1)) {
            InProcessCluster.Node leader = cluster.awaitLeader();
            long revision = KVGrpc.newBlockingStub(cluster.channel(leader))
                    .put(PutRequest.newBuilder().setKey(bs("elsewhere")).setValue(bs("v")).build())
                    .getHeader().getRevision();
            List<WatchResponse> notified = new CopyOnWriteArrayList<>();
            List<WatchResponse> plain = new CopyOnWriteArrayList<>();
            StreamObserver<WatchRequest> withProgress = open(cluster, leader, notified, true);
            StreamObserver<WatchRequest> without = open(cluster, leader, plain, false);

            InProcessCluster.await(() -> notified.stream().anyMatch(r -> !r.getCreated()), Duration.ofSeconds(10),
                    "a progress notification");
            WatchResponse progress = notified.stream().filter(r -> !r.getCreated()).findFirst().orElseThrow();
            assertThat(progress.getEventsCount()).isZero();
            assertThat(progress.getHeader().getRevision()).isEqualTo(revision);
            assertThat(progress.getWatchId()).isEqualTo(notified.getFirst().getWatchId());
            // By now the other watch has been through the same ticks; it asked for none.
            assertThat(plain).allMatch(WatchResponse::getCreated);
            withProgress.onCompleted();
            without.onCompleted();
        }
    }

    private static StreamObserver<WatchRequest> open(InProcessCluster cluster, InProcessCluster.Node node,
            List<WatchResponse> into, boolean progressNotify) {
        StreamObserver<WatchRequest> requests = WatchGrpc.newStub(cluster.channel(node)).watch(new StreamObserver<>() {
            @Override
            public void onNext(WatchResponse value) {
                into.add(value);
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
            }
        });
        requests.onNext(WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder()
                .setKey(bs("quiet")).setProgressNotify(progressNotify)).build());
        return requests;
    }

    private static ByteString bs(String s) {
        return ByteString.copyFromUtf8(s);
    }
}
