package dev.consensus.store.mvcc.compat;

import static dev.consensus.store.mvcc.compat.Requests.delete;
import static dev.consensus.store.mvcc.compat.Requests.get;
import static dev.consensus.store.mvcc.compat.Requests.op;
import static dev.consensus.store.mvcc.compat.Requests.put;
import static dev.consensus.store.mvcc.compat.Requests.revision;
import static dev.consensus.store.mvcc.compat.Requests.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.consensus.api.etcdserverpb.RangeRequest;
import dev.consensus.api.etcdserverpb.ResponseHeader;
import dev.consensus.api.etcdserverpb.TxnRequest;
import dev.consensus.api.etcdserverpb.WatchCreateRequest;
import dev.consensus.api.etcdserverpb.WatchResponse;
import dev.consensus.store.mvcc.MvccConfig;
import dev.consensus.store.mvcc.model.EtcdErrors;
import dev.consensus.store.mvcc.model.ModelOp;
import dev.consensus.store.mvcc.model.Outcome;
import dev.consensus.store.mvcc.model.StoreTarget;
import dev.consensus.store.mvcc.model.Target;
import dev.consensus.store.mvcc.model.WatchItem;
import dev.consensus.store.testing.EtcdProcess;
import io.grpc.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the store answers differently from etcd 3.4 on purpose, each difference shown as what
 * each side does (docs/compatibility.md gives the reasons). The generated sequences avoid these
 * cases, so these tests are what keeps them from changing unnoticed.
 */
class EtcdDifferencesTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    EtcdProcess etcd;
    EtcdTarget etcdTarget;
    StoreTarget store;

    @BeforeEach
    void start() {
        etcd = EtcdProcess.start(dir);
        etcdTarget = new EtcdTarget(etcd);
        store = new StoreTarget(dir.resolve("store"), MvccConfig.defaults());
    }

    @AfterEach
    void stop() {
        if (store != null) {
            store.close();
        }
        if (etcdTarget != null) {
            etcdTarget.close();
        }
        if (etcd != null) {
            etcd.close();
        }
    }

    @Test
    void a_progress_request_beside_a_watch_on_a_future_revision_is_answered_at_once_by_etcd_3_4_and_later_by_the_store() {
        long current = revision(both(new ModelOp.Put(put("k", "v").build())));
        both(new ModelOp.WatchCreate(WatchCreateRequest.newBuilder().setKey(text("w"))
                .setStartRevision(current + 2).build()));
        both(new ModelOp.WatchProgress(0));
        // Read before the next put: etcd answers at once, and a put first would race its answer.
        assertThat(progressRevisions(etcdTarget, 2)).as("etcd 3.4 (and 3.5) answer with the revision then")
                .containsExactly(current);
        // One more revision brings the watch's start within reach: the store answers now.
        both(new ModelOp.Put(put("other", "v").build()));

        assertThat(progressRevisions(store, 2)).as("the store (like etcd 3.7) waits until the watch is synced")
                .containsExactly(current + 1);
    }

    @Test
    void a_txn_that_puts_with_ignore_value_a_key_it_deleted_from_a_key_on_crashes_etcd_and_the_store_refuses_it() {
        long before = revision(both(new ModelOp.Put(put("a/1", "v").build())));
        TxnRequest txn = TxnRequest.newBuilder()
                .addSuccess(op(delete("a").setRangeEnd(Requests.FROM_KEY)))
                .addSuccess(op(put("a/1", "").setIgnoreValue(true)))
                .build();

        Outcome fromEtcd = etcdTarget.run(new ModelOp.Txn(txn));
        Outcome fromStore = store.run(new ModelOp.Txn(txn));

        assertThat(fromEtcd).as("the client loses its connection").isInstanceOf(Outcome.Failed.class)
                .extracting(f -> ((Outcome.Failed) f).code()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(etcdExited()).as("etcd panicked: " + etcd.logTail()).isTrue();
        assertThat(etcd.logTail()).contains("panic");
        assertThat(fromStore).as("the store refuses the txn whole, in the words etcd checks the flag with")
                .isEqualTo(EtcdErrors.KEY_NOT_FOUND);
        Outcome after = store.run(new ModelOp.Range(get("a/1").build()));
        assertThat(revision(after)).as("nothing was written").isEqualTo(before);
        assertThat(Requests.only(after).getValue()).isEqualTo(text("v"));
    }

    @Test
    void a_range_sorted_by_a_sort_target_etcd_does_not_know_crashes_etcd_and_the_store_sorts_by_key() {
        both(new ModelOp.Put(put("b", "1").build()));
        both(new ModelOp.Put(put("a", "2").build()));
        RangeRequest unknownTarget = Requests.fromKey("a").setSortOrder(RangeRequest.SortOrder.DESCEND)
                .setSortTargetValue(9).build();

        Outcome fromEtcd = etcdTarget.run(new ModelOp.Range(unknownTarget));
        Outcome fromStore = store.run(new ModelOp.Range(unknownTarget));

        assertThat(fromEtcd).as("the client loses its connection").isInstanceOf(Outcome.Failed.class)
                .extracting(f -> ((Outcome.Failed) f).code()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(etcdExited()).as("etcd panicked in sort.Sort with no sorter: " + etcd.logTail()).isTrue();
        assertThat(Requests.keys(fromStore)).as("the store reads an unknown target as KEY").containsExactly("b", "a");
    }

    private Outcome both(ModelOp op) {
        Outcome fromEtcd = etcdTarget.run(op);
        Outcome fromStore = store.run(op);
        assertThat(fromEtcd).as(ModelOp.describe(op)).isInstanceOf(Outcome.Ok.class);
        assertThat(fromStore).as(ModelOp.describe(op)).isInstanceOf(Outcome.Ok.class);
        return fromStore;
    }

    /** The header revisions of the progress responses among the first {@code items} of watch 0. */
    private static List<Long> progressRevisions(Target target, int items) {
        target.awaitItems(0, items, WAIT);
        return target.items(0).stream()
                .filter(WatchItem.Control.class::isInstance)
                .map(item -> ((WatchItem.Control) item).response())
                .filter(response -> response.getWatchId() == -1)
                .map(WatchResponse::getHeader)
                .map(ResponseHeader::getRevision)
                .toList();
    }

    private boolean etcdExited() {
        try {
            return ProcessHandle.of(etcd.pid()).map(p -> {
                try {
                    p.onExit().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                    return true;
                } catch (Exception e) {
                    return false;
                }
            }).orElse(true);
        } catch (RuntimeException e) {
            return false;
        }
    }
}
