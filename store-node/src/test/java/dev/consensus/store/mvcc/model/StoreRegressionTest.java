package dev.consensus.store.mvcc.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.consensus.api.etcdserverpb.CompactionRequest;
import dev.consensus.api.etcdserverpb.DeleteRangeRequest;
import dev.consensus.api.etcdserverpb.PutRequest;
import dev.consensus.api.etcdserverpb.RangeRequest;
import dev.consensus.api.etcdserverpb.RequestOp;
import dev.consensus.api.etcdserverpb.TxnRequest;
import dev.consensus.api.mvccpb.KeyValue;
import dev.consensus.api.etcdserverpb.WatchCreateRequest;
import dev.consensus.store.mvcc.MvccConfig;
import dev.consensus.store.mvcc.MvccStore;
import dev.consensus.store.mvcc.WatchStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Store bugs the model-based test found, each reduced to the few steps that show it and named
 * after the behaviour that must hold; each fails without its fix.
 */
class StoreRegressionTest {

    @TempDir
    Path dir;

    StoreTarget store;

    @BeforeEach
    void open() {
        store = new StoreTarget(dir, MvccConfig.defaults());
    }

    @AfterEach
    void close() {
        store.close();
    }

    /**
     * Found by MvccModelTest (seeds 5 and 89 of an earlier generator, 337 of another; the
     * differential scenario of the same name shows etcd 3.4 keeping the put). etcd lets a txn delete "every key from k on" and
     * put k again (its duplicate check does not see a "\0" range end as covering k), so k has a
     * tombstone and a put at the same main revision. A compaction at exactly that revision must
     * keep the put (etcd moves past a generation whose tombstone is at or below the compaction
     * revision); the store kept the tombstone's generation instead and deleted the put from
     * RocksDB while its index still named it.
     */
    @Test
    void compacting_at_the_revision_of_a_txn_that_deleted_and_put_a_key_again_keeps_the_put() {
        ok(new ModelOp.Put(PutRequest.newBuilder().setKey(text("a/1")).setValue(text("old")).build()));
        ok(new ModelOp.Txn(TxnRequest.newBuilder()
                .addSuccess(RequestOp.newBuilder().setRequestDeleteRange(DeleteRangeRequest.newBuilder()
                        .setKey(text("a")).setRangeEnd(ByteString.copyFrom(new byte[] {0}))))
                .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder()
                        .setKey(text("a/1")).setValue(text("new"))))
                .build()));
        ok(new ModelOp.Compact(CompactionRequest.newBuilder().setRevision(3).setPhysical(true).build()));

        Outcome read = store.run(new ModelOp.Range(RangeRequest.newBuilder().setKey(text("a/1")).build()));

        assertThat(read).isInstanceOf(Outcome.Ok.class);
        List<KeyValue> kvs = ((dev.consensus.api.etcdserverpb.RangeResponse) ((Outcome.Ok) read).response()).getKvsList();
        assertThat(kvs).singleElement().satisfies(kv -> {
            assertThat(kv.getValue()).isEqualTo(text("new"));
            assertThat(kv.getCreateRevision()).isEqualTo(3);
            assertThat(kv.getModRevision()).isEqualTo(3);
            assertThat(kv.getVersion()).isEqualTo(1);
        });
    }

    /**
     * Found by MvccModelTest seeds 10, 62, 72 and 118 (before the generator asked for progress
     * ahead of each compaction): a live watch with nothing to deliver was cancelled with
     * compact_revision by a compaction applied right after some writes elsewhere. Each watch
     * stream catches up on its own thread, and a watcher whose next revision is below the compact
     * revision is cancelled, whether or not anything it matches was compacted away. etcd keeps
     * such a watcher in its synced group, which compaction never touches. The fix: a compaction
     * first waits (MvccConfig.compactionWatchWaitMillis) until caught-up watchers have read past
     * it. Here the stream's thread is held in the listener, and let go by another thread shortly
     * after the compaction starts, so that the lag is certain rather than a matter of timing;
     * without the wait the compaction is applied while the watcher lags, and cancels it.
     */
    @Test
    void a_compaction_does_not_cancel_a_live_watch_that_missed_nothing() throws InterruptedException {
        HeldWatch held = compactWhileAWatchIsHeld(60_000, 300);

        assertThat(held.items()).hasSize(2);
        assertThat(held.items().get(1)).as("the put on the watched key, not a cancellation")
                .isInstanceOf(WatchItem.EventItem.class);
    }

    /**
     * The other side of the fix above: the wait is bounded, so a listener stuck for longer never
     * holds up the apply thread; its lagging watch is cancelled with the compact revision, as
     * etcd cancels a slow watcher that fell behind a compaction.
     */
    @Test
    void a_compaction_does_not_wait_for_a_stuck_listener_and_cancels_its_lagging_watch() throws InterruptedException {
        HeldWatch held = compactWhileAWatchIsHeld(50, -1);

        assertThat(held.items().get(1)).as("the stuck watch, cancelled by the compaction")
                .isInstanceOfSatisfying(WatchItem.Control.class, control -> {
                    assertThat(control.response().getCanceled()).isTrue();
                    assertThat(control.response().getCompactRevision()).isEqualTo(held.compactedTo());
                });
    }

    record HeldWatch(List<WatchItem> items, long compactedTo) { }

    /**
     * Watches "watched" on a store whose compactions wait at most {@code waitMillis} for caught-up
     * watchers, with the stream's thread held in its listener right after "created"; writes
     * elsewhere, then compacts to the current revision while the watch lags. The listener is let
     * go {@code releaseAfterMillis} into the compaction by another thread, or after it when
     * negative; then "watched" is written. Returns the first two items the watch delivered.
     */
    private HeldWatch compactWhileAWatchIsHeld(long waitMillis, long releaseAfterMillis) throws InterruptedException {
        store.close();
        store = new StoreTarget(dir, MvccConfig.defaults().withCompactionWatchWaitMillis(waitMillis));
        MvccStore raw = store.store();
        CountDownLatch release = new CountDownLatch(1);
        ItemLog log = new ItemLog();
        try (WatchStream stream = raw.openWatchStream(response -> {
            log.add(response);
            if (response.getCreated()) {
                awaitQuietly(release);
            }
        })) {
            stream.watch(WatchCreateRequest.newBuilder().setKey(text("watched")).build());
            log.await(1, Comparison.WATCH_WAIT);
            ok(new ModelOp.Put(PutRequest.newBuilder().setKey(text("other")).setValue(text("1")).build()));
            ok(new ModelOp.Put(PutRequest.newBuilder().setKey(text("other")).setValue(text("2")).build()));
            long compactTo = raw.currentRevision();
            Thread releaser = releaseAfterMillis < 0 ? null : Thread.ofVirtual().start(() -> {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(releaseAfterMillis));
                release.countDown();
            });
            ok(new ModelOp.Compact(CompactionRequest.newBuilder().setRevision(compactTo).build()));
            if (releaser == null) {
                release.countDown();
            } else {
                releaser.join();
            }
            ok(new ModelOp.Put(PutRequest.newBuilder().setKey(text("watched")).setValue(text("v")).build()));
            log.await(2, Comparison.WATCH_WAIT);
            return new HeldWatch(log.snapshot().subList(0, 2), compactTo);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void ok(ModelOp op) {
        assertThat(store.run(op)).as(ModelOp.describe(op)).isInstanceOf(Outcome.Ok.class);
    }

    private static ByteString text(String text) {
        return ByteString.copyFromUtf8(text);
    }
}
