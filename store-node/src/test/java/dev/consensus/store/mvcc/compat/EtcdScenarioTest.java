package dev.consensus.store.mvcc.compat;

import static dev.consensus.store.mvcc.compat.Requests.compare;
import static dev.consensus.store.mvcc.compat.Requests.delete;
import static dev.consensus.store.mvcc.compat.Requests.fromKey;
import static dev.consensus.store.mvcc.compat.Requests.get;
import static dev.consensus.store.mvcc.compat.Requests.keys;
import static dev.consensus.store.mvcc.compat.Requests.only;
import static dev.consensus.store.mvcc.compat.Requests.op;
import static dev.consensus.store.mvcc.compat.Requests.put;
import static dev.consensus.store.mvcc.compat.Requests.response;
import static dev.consensus.store.mvcc.compat.Requests.revision;
import static dev.consensus.store.mvcc.compat.Requests.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import dev.consensus.api.etcdserverpb.Compare.CompareResult;
import dev.consensus.api.etcdserverpb.Compare.CompareTarget;
import dev.consensus.api.etcdserverpb.CompactionRequest;
import dev.consensus.api.etcdserverpb.DeleteRangeRequest;
import dev.consensus.api.etcdserverpb.DeleteRangeResponse;
import dev.consensus.api.etcdserverpb.LeaseGrantRequest;
import dev.consensus.api.etcdserverpb.LeaseRevokeRequest;
import dev.consensus.api.etcdserverpb.PutRequest;
import dev.consensus.api.etcdserverpb.RangeRequest;
import dev.consensus.api.etcdserverpb.RangeResponse;
import dev.consensus.api.etcdserverpb.RequestOp;
import dev.consensus.api.etcdserverpb.TxnRequest;
import dev.consensus.api.etcdserverpb.TxnResponse;
import dev.consensus.api.etcdserverpb.WatchCreateRequest;
import dev.consensus.api.mvccpb.Event;
import dev.consensus.store.mvcc.MvccConfig;
import dev.consensus.store.mvcc.model.Comparison;
import dev.consensus.store.mvcc.model.EtcdErrors;
import dev.consensus.store.mvcc.model.EtcdModel;
import dev.consensus.store.mvcc.model.ModelOp;
import dev.consensus.store.mvcc.model.Outcome;
import dev.consensus.store.mvcc.model.StoreTarget;
import dev.consensus.store.mvcc.model.WatchItem;
import dev.consensus.store.testing.EtcdProcess;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The subtle cases by name, each sent to a fresh etcd 3.4, a fresh store and the model: every
 * answer must be the same on all three (checked by {@link #same}), and the test then states what
 * that answer is, so the behaviour reads here without running anything.
 */
class EtcdScenarioTest {

    @TempDir
    Path dir;

    EtcdProcess etcd;
    EtcdTarget etcdTarget;
    StoreTarget store;
    Comparison sides;

    @BeforeEach
    void start() {
        etcd = EtcdProcess.start(dir);
        etcdTarget = new EtcdTarget(etcd);
        store = new StoreTarget(dir.resolve("store"), MvccConfig.defaults());
        sides = new Comparison(EtcdModel.withEtcdDefaults(), List.of(etcdTarget, store));
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
    void a_sort_target_without_a_sort_order_sorts_only_the_first_limit_plus_one_keys() {
        // Values run opposite to keys: by value the order is d, c, b, a.
        same(put("a", "3"));
        same(put("b", "2"));
        same(put("c", "1"));
        same(put("d", "0"));

        Outcome sortedPart = same(fromKey("a").setLimit(2).setSortTarget(RangeRequest.SortTarget.VALUE));
        Outcome sortedAll = same(fromKey("a").setLimit(2).setSortTarget(RangeRequest.SortTarget.VALUE)
                .setSortOrder(RangeRequest.SortOrder.ASCEND));

        assertThat(keys(sortedPart)).as("a, b, c read in key order, then sorted").containsExactly("c", "b");
        assertThat(keys(sortedAll)).containsExactly("d", "c");
        assertThat(response(sortedPart, RangeResponse.class).getMore()).isTrue();
        assertThat(response(sortedAll, RangeResponse.class).getCount()).isEqualTo(4);
    }

    @Test
    void count_only_with_a_limit_counts_every_match_and_says_there_is_no_more() {
        for (String key : List.of("a", "b", "c")) {
            same(put(key, "v"));
        }

        RangeResponse counted = response(same(fromKey("a").setLimit(1).setCountOnly(true)), RangeResponse.class);
        RangeResponse limited = response(same(fromKey("a").setLimit(1)), RangeResponse.class);

        assertThat(counted.getCount()).isEqualTo(3);
        assertThat(counted.getKvsList()).isEmpty();
        assertThat(counted.getMore()).as("no key-value was cut").isFalse();
        assertThat(limited.getCount()).isEqualTo(3);
        assertThat(limited.getMore()).isTrue();
    }

    @Test
    void a_txn_compare_on_a_missing_key_sees_zeros_and_never_an_equal_or_unequal_value() {
        for (CompareTarget target : List.of(CompareTarget.VERSION, CompareTarget.CREATE, CompareTarget.MOD,
                CompareTarget.LEASE)) {
            TxnRequest zero = TxnRequest.newBuilder().addCompare(compare("missing", target, CompareResult.EQUAL)).build();
            assertThat(response(same(zero), TxnResponse.class).getSucceeded()).as(target + " = 0").isTrue();
        }
        for (CompareResult result : List.of(CompareResult.EQUAL, CompareResult.NOT_EQUAL)) {
            TxnRequest value = TxnRequest.newBuilder()
                    .addCompare(compare("missing", CompareTarget.VALUE, result).setValue(text("x"))).build();
            assertThat(response(same(value), TxnResponse.class).getSucceeded()).as("value " + result).isFalse();
        }
    }

    @Test
    void a_compare_with_a_target_or_operator_etcd_does_not_know_compares_as_equal_and_holds() {
        same(put("k", "v"));
        TxnRequest unknownTarget = TxnRequest.newBuilder()
                .addCompare(compare("k", CompareTarget.VERSION, CompareResult.EQUAL).setTargetValue(9).setVersion(5))
                .build();
        TxnRequest unknownOperator = TxnRequest.newBuilder()
                .addCompare(compare("k", CompareTarget.VERSION, CompareResult.EQUAL).setResultValue(9).setVersion(5))
                .build();

        assertThat(response(same(unknownTarget), TxnResponse.class).getSucceeded()).isTrue();
        assertThat(response(same(unknownOperator), TxnResponse.class).getSucceeded()).isTrue();
    }

    @Test
    void deleting_a_missing_key_makes_no_revision() {
        long before = revision(same(put("a", "v")));

        DeleteRangeResponse nothing = response(same(delete("missing").setPrevKv(true)), DeleteRangeResponse.class);
        DeleteRangeResponse emptyRange = response(same(delete("x").setRangeEnd(text("z"))), DeleteRangeResponse.class);

        assertThat(nothing.getDeleted()).isZero();
        assertThat(nothing.getHeader().getRevision()).isEqualTo(before);
        assertThat(emptyRange.getHeader().getRevision()).isEqualTo(before);
        assertThat(revision(same(get("a")))).isEqualTo(before);
    }

    @Test
    void a_txn_that_only_reads_or_deletes_nothing_makes_no_revision_and_one_that_writes_makes_one() {
        long before = revision(same(put("a", "v")));

        Outcome reads = same(TxnRequest.newBuilder().addSuccess(op(get("a"))).addSuccess(op(fromKey("a"))).build());
        Outcome deletesNothing = same(TxnRequest.newBuilder().addSuccess(op(delete("missing"))).build());
        Outcome writes = same(TxnRequest.newBuilder().addSuccess(op(put("b", "1"))).addSuccess(op(put("c", "2")))
                .addSuccess(op(get("b"))).build());

        assertThat(revision(reads)).isEqualTo(before);
        assertThat(revision(deletesNothing)).isEqualTo(before);
        assertThat(revision(writes)).as("two puts, one revision").isEqualTo(before + 1);
        assertThat(response(writes, TxnResponse.class).getResponses(2).getResponseRange().getKvs(0).getModRevision())
                .as("a range in the txn sees its earlier put").isEqualTo(before + 1);
    }

    @Test
    void ignore_lease_keeps_the_lease_and_ignore_value_keeps_the_value() {
        same(LeaseGrantRequest.newBuilder().setID(7).setTTL(600).build());
        same(put("k", "v1").setLease(7));

        same(put("k", "v2").setIgnoreLease(true));
        assertThat(only(same(get("k")))).satisfies(kv -> {
            assertThat(kv.getValue()).isEqualTo(text("v2"));
            assertThat(kv.getLease()).isEqualTo(7);
        });
        same(put("k", "").setIgnoreValue(true));
        assertThat(only(same(get("k")))).satisfies(kv -> {
            assertThat(kv.getValue()).isEqualTo(text("v2"));
            assertThat(kv.getLease()).as("a put without ignore_lease and no lease detaches").isZero();
        });

        assertThat(same(put("k", "").setIgnoreLease(true).setLease(7))).isEqualTo(EtcdErrors.LEASE_PROVIDED);
        assertThat(same(put("k", "x").setIgnoreValue(true))).isEqualTo(EtcdErrors.VALUE_PROVIDED);
        assertThat(same(put("missing", "").setIgnoreValue(true))).isEqualTo(EtcdErrors.KEY_NOT_FOUND);
    }

    @Test
    void revoking_a_lease_deletes_its_keys_at_one_revision_in_key_order() {
        same(LeaseGrantRequest.newBuilder().setID(5).setTTL(600).build());
        same(LeaseGrantRequest.newBuilder().setID(6).setTTL(600).build());
        for (String key : List.of("l/c", "l/a", "l/b")) {
            same(put(key, "v").setLease(5));
        }
        long before = revision(same(get("l/a")));
        sides.run(new ModelOp.WatchCreate(WatchCreateRequest.newBuilder().setKey(text("l/")).setRangeEnd(text("l0")).build()));

        long revoked = revision(same(LeaseRevokeRequest.newBuilder().setID(5).build()));
        long revokedEmpty = revision(same(LeaseRevokeRequest.newBuilder().setID(6).build()));

        assertThat(revoked).isEqualTo(before + 1);
        assertThat(revokedEmpty).as("a lease without keys goes without a revision").isEqualTo(revoked);
        assertThat(sameWatch(0)).filteredOn(WatchItem.EventItem.class::isInstance)
                .extracting(item -> ((WatchItem.EventItem) item).event())
                .extracting(e -> e.getType() + " " + e.getKv().getKey().toStringUtf8() + "@" + e.getKv().getModRevision())
                .containsExactly("DELETE l/a@" + revoked, "DELETE l/b@" + revoked, "DELETE l/c@" + revoked);
        assertThat(same(LeaseRevokeRequest.newBuilder().setID(5).build())).isEqualTo(EtcdErrors.LEASE_NOT_FOUND);
    }

    @Test
    void a_nested_txn_decides_its_compares_on_the_state_before_the_outer_txn() {
        same(put("k", "old"));
        TxnRequest nested = TxnRequest.newBuilder()
                .addCompare(compare("k", CompareTarget.VALUE, CompareResult.EQUAL).setValue(text("new")))
                .addSuccess(op(put("seen", "new")))
                .addFailure(op(put("seen", "old")))
                .build();

        Outcome outer = same(TxnRequest.newBuilder()
                .addSuccess(op(put("k", "new")))
                .addSuccess(RequestOp.newBuilder().setRequestTxn(nested))
                .build());

        TxnResponse inner = response(outer, TxnResponse.class).getResponses(1).getResponseTxn();
        assertThat(inner.getSucceeded()).isFalse();
        assertThat(inner.hasHeader()).as("etcd sends a nested txn an empty header").isTrue();
        assertThat(inner.getHeader().getRevision()).isZero();
        assertThat(only(same(get("seen"))).getValue()).isEqualTo(text("old"));
    }

    @Test
    void a_txn_range_at_a_negative_revision_is_held_against_the_compact_revision_and_a_plain_range_is_not() {
        long current = revision(same(put("a", "1")));
        same(put("a", "2"));
        TxnRequest minusOne = TxnRequest.newBuilder().addSuccess(op(get("a").setRevision(-1))).build();
        TxnRequest minusTwo = TxnRequest.newBuilder().addSuccess(op(get("a").setRevision(-2))).build();

        // Before any compaction etcd's compact revision is -1: -1 reads now, -2 is "compacted".
        assertThat(same(minusOne)).isInstanceOf(Outcome.Ok.class);
        assertThat(same(minusTwo)).isEqualTo(EtcdErrors.COMPACTED);
        assertThat(only(same(get("a").setRevision(-2))).getValue()).as("a plain range reads now").isEqualTo(text("2"));

        same(CompactionRequest.newBuilder().setRevision(current).setPhysical(true).build());
        assertThat(same(minusOne)).isEqualTo(EtcdErrors.COMPACTED);
    }

    @Test
    void a_watch_with_prev_kv_gets_none_for_a_put_that_creates_its_key_even_after_a_delete_in_the_same_txn() {
        same(put("k", "old"));
        sides.run(new ModelOp.WatchCreate(WatchCreateRequest.newBuilder().setKey(text("k")).setPrevKv(true).build()));

        same(TxnRequest.newBuilder()
                .addSuccess(op(delete("k").setRangeEnd(Requests.FROM_KEY)))
                .addSuccess(op(put("k", "new")))
                .build());

        List<Event> events = sameWatch(0).stream().filter(WatchItem.EventItem.class::isInstance)
                .map(item -> ((WatchItem.EventItem) item).event()).toList();
        assertThat(events).extracting(Event::getType).containsExactly(Event.EventType.DELETE, Event.EventType.PUT);
        assertThat(events.get(0).getPrevKv().getValue()).isEqualTo(text("old"));
        assertThat(events.get(1).hasPrevKv()).as("etcd skips prev_kv when create == mod").isFalse();
    }

    @Test
    void compacting_at_the_revision_of_a_txn_that_deleted_and_put_a_key_again_keeps_the_put() {
        same(put("a/1", "old"));
        long both = revision(same(TxnRequest.newBuilder()
                .addSuccess(op(delete("a").setRangeEnd(Requests.FROM_KEY)))
                .addSuccess(op(put("a/1", "new")))
                .build()));

        same(CompactionRequest.newBuilder().setRevision(both).setPhysical(true).build());

        assertThat(only(same(get("a/1")))).satisfies(kv -> {
            assertThat(kv.getValue()).isEqualTo(text("new"));
            assertThat(kv.getCreateRevision()).isEqualTo(both);
            assertThat(kv.getVersion()).isEqualTo(1);
        });
    }

    @Test
    void a_watch_from_the_compact_revision_replays_no_delete_made_at_it() {
        same(put("k", "v"));
        same(put("other", "v"));
        long deleted = revision(same(delete("k")));
        same(CompactionRequest.newBuilder().setRevision(deleted).setPhysical(true).build());

        // etcd's compaction removes a tombstone at the compact revision from its backend, where
        // a watch that starts there reads history: the delete is not sent.
        sides.run(new ModelOp.WatchCreate(WatchCreateRequest.newBuilder().setKey(text("k")).setStartRevision(deleted)
                .build()));
        same(put("k", "again"));

        assertThat(sameWatch(0)).filteredOn(WatchItem.EventItem.class::isInstance)
                .extracting(item -> ((WatchItem.EventItem) item).event().getType())
                .containsExactly(Event.EventType.PUT);
    }

    private Outcome same(Message.Builder request) {
        return same(request.build());
    }

    /** Sends a request to the model, the store and etcd; all three must answer the same. */
    private Outcome same(Message request) {
        ModelOp op = switch (request) {
            case PutRequest p -> new ModelOp.Put(p);
            case RangeRequest r -> new ModelOp.Range(r);
            case DeleteRangeRequest d -> new ModelOp.DeleteRange(d);
            case TxnRequest t -> new ModelOp.Txn(t);
            case CompactionRequest c -> new ModelOp.Compact(c);
            case LeaseGrantRequest g -> new ModelOp.LeaseGrant(g);
            case LeaseRevokeRequest r -> new ModelOp.LeaseRevoke(r);
            default -> throw new IllegalArgumentException(request.getClass().getName());
        };
        Comparison.Answers answers = sides.run(op);
        assertThat(answers.agree()).as(ModelOp.describe(op) + "\n" + answers).isTrue();
        return answers.model();
    }

    /** The items of watch {@code index}, the same on all three sides. */
    private List<WatchItem> sameWatch(int index) {
        String difference = sides.watchDifference(index);
        assertThat(difference).as("watch " + index).isNull();
        return sides.model().expectedItems(index);
    }
}
