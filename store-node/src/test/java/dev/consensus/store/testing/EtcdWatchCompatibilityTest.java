package dev.consensus.store.testing;

import static dev.consensus.store.testing.EtcdRequests.bytes;
import static dev.consensus.store.testing.EtcdRequests.prefix;
import static dev.consensus.store.testing.EtcdRequests.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.consensus.api.etcdserverpb.CompactionRequest;
import dev.consensus.api.etcdserverpb.DeleteRangeRequest;
import dev.consensus.api.etcdserverpb.PutResponse;
import dev.consensus.api.etcdserverpb.RangeRequest;
import dev.consensus.api.etcdserverpb.WatchCancelRequest;
import dev.consensus.api.etcdserverpb.WatchCreateRequest;
import dev.consensus.api.etcdserverpb.WatchProgressRequest;
import dev.consensus.api.etcdserverpb.WatchRequest;
import dev.consensus.api.etcdserverpb.WatchResponse;
import dev.consensus.api.mvccpb.Event;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Watch stream through our generated stubs against a real etcd: creating watchers (with
 * prev_kv, filters, client-chosen ids, a compacted start revision), the events they receive,
 * cancelling, and progress requests. It records, as assertions, the responses our server must
 * send in the same order and shape. Where etcd 3.4 (installed here) and 3.5 differ, the test
 * says so next to the assertion.
 */
class EtcdWatchCompatibilityTest {

    private static final Duration WAIT = EtcdProcess.RPC_TIMEOUT;

    @TempDir
    static Path tempDir;

    static EtcdProcess etcd;

    @BeforeAll
    static void startEtcd() {
        etcd = EtcdProcess.start(tempDir);
    }

    @AfterAll
    static void stopEtcd() {
        if (etcd != null) {
            etcd.close();
        }
    }

    @Test
    void a_watch_streams_events_with_prev_kv_honours_filters_and_answers_cancel() {
        RecordingObserver<WatchResponse> responses = new RecordingObserver<>();
        StreamObserver<WatchRequest> requests = etcd.watch().watch(responses);
        try {
            RangeRequest range = prefix("/watch/");
            requests.onNext(create(range, WatchCreateRequest.newBuilder().setPrevKv(true).setWatchId(100)));
            requests.onNext(create(range, WatchCreateRequest.newBuilder()
                    .addFilters(WatchCreateRequest.FilterType.NODELETE).setWatchId(101)));
            assertThat(List.of(responses.next(WAIT), responses.next(WAIT)))
                    .extracting(r -> r.getWatchId() + ":" + r.getCreated()).containsExactly("100:true", "101:true");

            long first = put("/watch/k", "v1").getHeader().getRevision();
            put("/watch/k", "v2");
            etcd.kv().deleteRange(DeleteRangeRequest.newBuilder().setKey(bytes("/watch/k")).build());

            // 100 sees put, put, delete; 101 filters the delete out and is sent nothing for it.
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < 10 && seen.size() < 5; i++) {
                WatchResponse r = responses.next(WAIT);
                for (Event e : r.getEventsList()) {
                    seen.add(r.getWatchId() + " " + e.getType() + " " + text(e.getKv().getValue()) + "@"
                            + e.getKv().getModRevision() + " prev=" + text(e.getPrevKv().getValue()));
                }
            }
            assertThat(seen).containsExactlyInAnyOrder(
                    "100 PUT v1@" + first + " prev=",
                    "100 PUT v2@" + (first + 1) + " prev=v1",
                    "100 DELETE @" + (first + 2) + " prev=v2",
                    "101 PUT v1@" + first + " prev=",
                    "101 PUT v2@" + (first + 1) + " prev=");

            requests.onNext(WatchRequest.newBuilder()
                    .setCancelRequest(WatchCancelRequest.newBuilder().setWatchId(100)).build());
            WatchResponse cancelled = responses.next(WAIT);
            assertThat(cancelled.getWatchId()).as("nothing else is pending on the stream").isEqualTo(100);
            assertThat(cancelled.getCanceled()).isTrue();
            assertThat(cancelled.getEventsList()).isEmpty();
        } finally {
            requests.onCompleted();
        }
    }

    @Test
    void a_watch_from_a_compacted_revision_is_cancelled_with_the_compact_revision() {
        long old = put("/watchc/k", "v1").getHeader().getRevision();
        long compacted = put("/watchc/k", "v2").getHeader().getRevision();
        etcd.kv().compact(CompactionRequest.newBuilder().setRevision(compacted).setPhysical(true).build());
        RecordingObserver<WatchResponse> responses = new RecordingObserver<>();
        StreamObserver<WatchRequest> requests = etcd.watch().watch(responses);
        try {
            requests.onNext(create(RangeRequest.newBuilder().setKey(bytes("/watchc/k")).build(),
                    WatchCreateRequest.newBuilder().setStartRevision(old)));

            WatchResponse created = responses.next(WAIT);
            assertThat(created.getCreated()).isTrue();
            WatchResponse cancelled = responses.next(WAIT);
            assertThat(cancelled.getWatchId()).isEqualTo(created.getWatchId());
            assertThat(cancelled.getCanceled()).isTrue();
            assertThat(cancelled.getCompactRevision()).isEqualTo(compacted);
            // Observed on 3.4.23, and the same in 3.5 by its source: cancel_reason stays empty
            // here (3.5 fills it only when start_revision is negative).
            assertThat(cancelled.getCancelReason()).isEmpty();
        } finally {
            requests.onCompleted();
        }
    }

    @Test
    void a_progress_request_is_answered_with_the_current_revision_and_watch_id_minus_one() {
        RecordingObserver<WatchResponse> responses = new RecordingObserver<>();
        StreamObserver<WatchRequest> requests = etcd.watch().watch(responses);
        try {
            requests.onNext(create(RangeRequest.newBuilder().setKey(bytes("/progress/watched")).build(),
                    WatchCreateRequest.newBuilder()));
            assertThat(responses.next(WAIT).getCreated()).isTrue();
            long revision = put("/progress/other", "v").getHeader().getRevision();

            requests.onNext(WatchRequest.newBuilder()
                    .setProgressRequest(WatchProgressRequest.getDefaultInstance()).build());
            WatchResponse progress = responses.next(WAIT);

            // Observed on 3.4.23: answered at once, for the whole stream (watch_id -1), with
            // the store's current revision and no events. etcd 3.5 (from 3.5.8, by its source)
            // answers only once every watcher on the stream has caught up, and not at all on a
            // stream without watchers; ours is caught up, so the same assertions hold there.
            assertThat(progress.getWatchId()).isEqualTo(-1);
            assertThat(progress.getHeader().getRevision()).isEqualTo(revision);
            assertThat(progress.getEventsList()).isEmpty();
            assertThat(progress.getCreated() || progress.getCanceled()).isFalse();
        } finally {
            requests.onCompleted();
        }
    }

    static WatchRequest create(RangeRequest range, WatchCreateRequest.Builder options) {
        return WatchRequest.newBuilder().setCreateRequest(options
                .setKey(range.getKey()).setRangeEnd(range.getRangeEnd())).build();
    }

    static PutResponse put(String key, String value) {
        return EtcdRequests.put(etcd, key, value);
    }
}
