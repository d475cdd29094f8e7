package dev.consensus.store.mvcc;

import static dev.consensus.store.mvcc.MvccFixture.bytes;
import static dev.consensus.store.mvcc.MvccFixture.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.consensus.api.etcdserverpb.CompactionRequest;
import dev.consensus.api.etcdserverpb.PutRequest;
import dev.consensus.api.etcdserverpb.RequestOp;
import dev.consensus.api.etcdserverpb.TxnRequest;
import dev.consensus.api.etcdserverpb.WatchCreateRequest;
import dev.consensus.api.etcdserverpb.WatchResponse;
import dev.consensus.api.mvccpb.Event;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Watches: live and from the past, ranges, filters, prev_kv, compaction, cancel, progress, ids. */
class WatchTest {

    @TempDir
    Path dir;

    MvccFixture kv;
    WatchRecorder recorder = new WatchRecorder();
    WatchStream stream;

    @BeforeEach
    void open() {
        kv = MvccFixture.open(dir);
        stream = kv.store().openWatchStream(recorder);
    }

    @AfterEach
    void close() {
        stream.close();
        kv.close();
    }

    @Test
    void a_live_watch_is_created_first_then_gets_each_revisions_events_together() {
        long id = stream.watch(watch("k").build());
        WatchResponse created = recorder.next();
        assertThat(created.getCreated()).isTrue();
        assertThat(created.getWatchId()).isEqualTo(id).isZero();
        assertThat(created.getHeader().getRevision()).isEqualTo(1);

        kv.txn(TxnRequest.newBuilder().addSuccess(put("k", "1")).addSuccess(put("k1", "x")));
        WatchResponse first = recorder.next();
        assertThat(first.getWatchId()).isEqualTo(id);
        assertThat(describe(first)).containsExactly("PUT k=1@2");
        assertThat(first.getHeader().getRevision()).isEqualTo(2);

        kv.put("k", "2");
        assertThat(describe(recorder.next())).containsExactly("PUT k=2@3");
    }

    @Test
    void a_watch_from_the_past_replays_history_then_goes_live_without_gap_or_duplicate() {
        kv.put("k", "1");                    // 2
        kv.put("k", "2");                    // 3
        kv.delete("k");                      // 4
        stream.watch(watch("k").setStartRevision(3).build());
        assertThat(recorder.next().getCreated()).isTrue();

        assertThat(describeUntil(4)).containsExactly("PUT k=2@3", "DELETE k=@4");
        kv.put("k", "5");
        assertThat(describe(recorder.next())).containsExactly("PUT k=5@5");
    }

    @Test
    void a_watch_on_a_range_sees_its_keys_only_and_an_empty_key_with_zero_end_sees_all() {
        stream.watch(watch("a").setRangeEnd(bytes("c")).build());
        stream.watch(WatchCreateRequest.newBuilder().setRangeEnd(bytes("\0")).build());
        recorder.next();
        recorder.next();

        kv.put("b", "1");
        kv.put("c", "1");

        assertThat(eventsByWatch(3)).containsExactlyInAnyOrder("0: PUT b=1@2", "1: PUT b=1@2", "1: PUT c=1@3");
    }

    @Test
    void filters_drop_puts_or_deletes_and_a_revision_with_nothing_left_sends_nothing() {
        stream.watch(watch("k").addFilters(WatchCreateRequest.FilterType.NOPUT).build());
        stream.watch(watch("k").addFilters(WatchCreateRequest.FilterType.NODELETE).build());
        recorder.next();
        recorder.next();

        kv.put("k", "1");
        kv.delete("k");
        kv.put("k", "3");

        assertThat(eventsByWatch(3)).containsExactlyInAnyOrder("0: DELETE k=@3", "1: PUT k=1@2", "1: PUT k=3@4");
    }

    @Test
    void prev_kv_carries_the_value_before_each_change_except_a_creation() {
        stream.watch(watch("k").setPrevKv(true).build());
        recorder.next();
        kv.put("k", "1");
        kv.put("k", "2");
        kv.delete("k");

        List<Event> events = eventsUntil(4);
        assertThat(events.get(0).hasPrevKv()).isFalse();
        assertThat(text(events.get(1).getPrevKv().getValue())).isEqualTo("1");
        assertThat(events.get(2).getType()).isEqualTo(Event.EventType.DELETE);
        assertThat(text(events.get(2).getPrevKv().getValue())).isEqualTo("2");
        assertThat(events.get(2).getKv().getModRevision()).isEqualTo(4);
        assertThat(events.get(2).getKv().getValue().isEmpty()).isTrue();
    }

    @Test
    void a_watch_starting_below_the_compact_revision_is_cancelled_with_the_compact_revision() throws Exception {
        kv.put("k", "1");
        kv.put("k", "2");
        kv.store().compact(kv.next(), CompactionRequest.newBuilder().setRevision(3).build());
        kv.store().physicalCompaction().get(10, TimeUnit.SECONDS);

        long id = stream.watch(watch("k").setStartRevision(2).build());
        assertThat(recorder.next().getCreated()).isTrue();
        WatchResponse compacted = recorder.next();
        assertThat(compacted.getWatchId()).isEqualTo(id);
        assertThat(compacted.getCanceled()).isTrue();
        assertThat(compacted.getCompactRevision()).isEqualTo(3);
        assertThat(compacted.getCancelReason()).isEmpty();

        stream.watch(watch("k").setStartRevision(3).build());
        assertThat(recorder.next().getCreated()).isTrue();
        assertThat(describe(recorder.next())).as("the compact revision itself is still there")
                .containsExactly("PUT k=2@3");
    }

    @Test
    void cancel_answers_canceled_and_no_event_of_that_watch_follows() {
        long cancelled = stream.watch(watch("k").build());
        recorder.next();
        assertThat(stream.cancel(cancelled)).isTrue();
        WatchResponse answer = recorder.next();
        assertThat(answer.getCanceled()).isTrue();
        assertThat(answer.getWatchId()).isEqualTo(cancelled);
        assertThat(stream.cancel(cancelled)).as("unknown id").isFalse();

        kv.put("k", "1");
        long witness = stream.watch(watch("k").setStartRevision(2).build());
        assertThat(recorder.next().getWatchId()).isEqualTo(witness);
        WatchResponse event = recorder.next();
        assertThat(event.getWatchId()).as("the stream is in order; nothing came for the cancelled watch")
                .isEqualTo(witness);
    }

    @Test
    void ids_start_at_zero_per_stream_and_a_refused_create_says_why() {
        WatchRecorder other = new WatchRecorder();
        try (WatchStream second = kv.store().openWatchStream(other)) {
            assertThat(stream.watch(watch("a").build())).isZero();
            assertThat(stream.watch(watch("a").build())).isEqualTo(1);
            assertThat(second.watch(watch("a").build())).isZero();
            assertThat(stream.watch(watch("a").setWatchId(7).build())).isEqualTo(7);

            assertThat(stream.watch(watch("a").setWatchId(7).build())).isEqualTo(-1);
            assertThat(stream.watch(watch("b").setRangeEnd(bytes("a")).build())).isEqualTo(-1);
            assertThat(stream.watch(watch("a").setStartRevision(-1).build())).isEqualTo(-1);

            List<WatchResponse> answers = recorder.until(r -> r.getCanceled() && r.getCancelReason().contains("compacted"), 6);
            assertThat(answers).extracting(r -> r.getWatchId() + " " + r.getCreated() + " " + r.getCanceled()
                    + " " + r.getCancelReason()).containsExactly(
                    "0 true false ", "1 true false ", "7 true false ",
                    "-1 true true mvcc: duplicate watch ID provided on the WatchStream",
                    "-1 true true mvcc: watcher range is empty",
                    "-1 true true etcdserver: mvcc: required revision has been compacted");
        }
    }

    @Test
    void a_progress_request_is_answered_once_every_watch_has_caught_up() {
        kv.close();
        kv = MvccFixture.open(dir, MvccConfig.defaults().withWatchBatchMaxRevisions(1));
        WatchRecorder slow = new WatchRecorder();
        try (WatchStream replay = kv.store().openWatchStream(slow)) {
            for (int i = 0; i < 5; i++) {
                kv.put("k", "v" + i);        // 2..6
            }
            replay.watch(watch("k").setStartRevision(2).build());
            replay.requestProgress();

            List<WatchResponse> answers = slow.until(WatchRecorder::isStreamProgress, 10);
            assertThat(answers).hasSize(7);
            assertThat(answers.get(0).getCreated()).isTrue();
            assertThat(answers.subList(1, 6)).allSatisfy(r -> assertThat(r.getEventsCount()).isEqualTo(1));
            assertThat(answers.get(6).getHeader().getRevision()).isEqualTo(6);
        }
    }

    @Test
    void a_periodic_tick_notifies_only_caught_up_watches_that_asked_and_got_no_events_since() {
        long quiet = stream.watch(watch("quiet").setProgressNotify(true).build());
        long busy = stream.watch(watch("busy").setProgressNotify(true).build());
        stream.watch(watch("quiet").build());
        recorder.until(r -> r.getWatchId() == 2, 3);
        kv.put("busy", "1");
        assertThat(recorder.next().getWatchId()).isEqualTo(busy);

        stream.progressTick();
        stream.requestProgress();
        assertThat(recorder.until(WatchRecorder::isStreamProgress, 5))
                .extracting(r -> r.getWatchId() + "@" + r.getHeader().getRevision())
                .containsExactly(quiet + "@2", "-1@2");

        stream.progressTick();
        stream.requestProgress();
        assertThat(recorder.until(WatchRecorder::isStreamProgress, 5))
                .extracting(WatchResponse::getWatchId).containsExactly(quiet, busy, -1L);
    }

    @Test
    void a_replay_in_small_batches_never_splits_a_revision() {
        kv.close();
        kv = MvccFixture.open(dir, MvccConfig.defaults().withWatchBatchMaxRevisions(1));
        WatchRecorder batches = new WatchRecorder();
        try (WatchStream replay = kv.store().openWatchStream(batches)) {
            kv.txn(TxnRequest.newBuilder().addSuccess(put("a", "1")).addSuccess(put("b", "1"))
                    .addSuccess(put("c", "1")));
            kv.put("a", "2");
            replay.watch(WatchCreateRequest.newBuilder().setKey(bytes("a")).setRangeEnd(bytes("z"))
                    .setStartRevision(1).build());
            batches.next();
            assertThat(describe(batches.next())).containsExactly("PUT a=1@2", "PUT b=1@2", "PUT c=1@2");
            assertThat(describe(batches.next())).containsExactly("PUT a=2@3");
        }
    }

    @Test
    void closing_the_store_closes_its_streams() {
        kv.close();
        assertThat(recorder.awaitClosed()).isTrue();
        kv = MvccFixture.open(dir);
        stream = kv.store().openWatchStream(new WatchRecorder());
    }

    private List<String> describeUntil(long revision) {
        return eventsUntil(revision).stream().map(WatchTest::describe).toList();
    }

    private List<Event> eventsUntil(long revision) {
        List<Event> events = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            events.addAll(recorder.next().getEventsList());
            if (!events.isEmpty() && events.get(events.size() - 1).getKv().getModRevision() >= revision) {
                return events;
            }
        }
        throw new AssertionError("no event at revision " + revision + " in " + events);
    }

    static List<String> describe(WatchResponse response) {
        return response.getEventsList().stream().map(WatchTest::describe).toList();
    }

    static String describe(Event event) {
        return event.getType() + " " + text(event.getKv().getKey()) + "=" + text(event.getKv().getValue())
                + "@" + event.getKv().getModRevision();
    }

    /** The next {@code count} events of the stream, whatever responses carry them, as "id: event". */
    private List<String> eventsByWatch(int count) {
        List<String> seen = new java.util.ArrayList<>();
        for (int i = 0; i < count && seen.size() < count; i++) {
            WatchResponse response = recorder.next();
            describe(response).forEach(event -> seen.add(response.getWatchId() + ": " + event));
        }
        return seen;
    }

    static WatchCreateRequest.Builder watch(String key) {
        return WatchCreateRequest.newBuilder().setKey(bytes(key));
    }

    static RequestOp put(String key, String value) {
        return RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(bytes(key)).setValue(bytes(value)))
                .build();
    }
}
