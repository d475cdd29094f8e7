package dev.consensus.store.mvcc;

import static dev.consensus.store.mvcc.MvccFixture.bytes;
import static dev.consensus.store.mvcc.MvccFixture.etcdError;
import static dev.consensus.store.mvcc.MvccFixture.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.consensus.api.etcdserverpb.Compare;
import dev.consensus.api.etcdserverpb.DeleteRangeRequest;
import dev.consensus.api.etcdserverpb.PutRequest;
import dev.consensus.api.etcdserverpb.RangeRequest;
import dev.consensus.api.etcdserverpb.RequestOp;
import dev.consensus.api.etcdserverpb.ResponseOp;
import dev.consensus.api.etcdserverpb.TxnRequest;
import dev.consensus.api.etcdserverpb.TxnResponse;
import dev.consensus.api.mvccpb.KeyValue;
import org.junit.jupiter.api.Test;

/** Txn: branches, one revision for all its writes, nested txns, and what etcd refuses. */
class TxnTest extends StoreTestBase {

    @Test
    void the_writes_of_a_txn_share_one_revision_and_later_ops_see_earlier_ones() {
        kv.put("a", "old");
        kv.put("c", "doomed");
        TxnResponse response = kv.txn(TxnRequest.newBuilder()
                .addSuccess(put("a", "new"))
                .addSuccess(put("b", "1"))
                .addSuccess(range("a"))
                .addSuccess(delete("c"))
                .addSuccess(range("c")));

        assertThat(response.getSucceeded()).isTrue();
        assertThat(response.getHeader().getRevision()).isEqualTo(4);
        assertThat(response.getResponses(0).getResponsePut().getHeader().getRevision()).isEqualTo(4);
        RangeResponseView seen = new RangeResponseView(response.getResponses(2));
        assertThat(seen.value()).isEqualTo("new");
        assertThat(seen.revision()).as("a read after a write sees the txn's revision").isEqualTo(4);
        assertThat(response.getResponses(3).getResponseDeleteRange().getDeleted()).isEqualTo(1);
        assertThat(response.getResponses(4).getResponseRange().getKvsList()).isEmpty();
        KeyValue a = kv.get("a").getKvs(0);
        KeyValue b = kv.get("b").getKvs(0);
        assertThat(a.getModRevision()).isEqualTo(4);
        assertThat(a.getVersion()).isEqualTo(2);
        assertThat(b.getModRevision()).isEqualTo(4);
        assertThat(b.getCreateRevision()).isEqualTo(4);
        assertThat(kv.store().currentRevision()).isEqualTo(4);
    }

    @Test
    void the_failure_branch_runs_when_a_compare_fails() {
        kv.put("a", "1");
        TxnResponse response = kv.txn(TxnRequest.newBuilder()
                .addCompare(valueIs("a", "2"))
                .addSuccess(put("s", "1"))
                .addFailure(put("f", "1")));

        assertThat(response.getSucceeded()).isFalse();
        assertThat(response.getResponses(0).getResponseCase()).isEqualTo(ResponseOp.ResponseCase.RESPONSE_PUT);
        assertThat(kv.value("f")).isEqualTo("1");
        assertThat(kv.value("s")).isNull();
    }

    @Test
    void a_txn_that_only_reads_makes_no_revision() {
        kv.put("a", "1");
        TxnResponse response = kv.txn(TxnRequest.newBuilder().addSuccess(range("a")));
        assertThat(response.getHeader().getRevision()).isEqualTo(2);
        assertThat(kv.store().currentRevision()).isEqualTo(2);
    }

    @Test
    void nested_txns_decide_their_branch_on_the_store_before_the_outer_writes() {
        kv.put("flag", "before");
        TxnResponse response = kv.txn(TxnRequest.newBuilder()
                .addSuccess(put("flag", "after"))
                .addSuccess(RequestOp.newBuilder().setRequestTxn(TxnRequest.newBuilder()
                        .addCompare(valueIs("flag", "before"))
                        .addSuccess(put("nested", "saw before"))
                        .addFailure(put("nested", "saw after")))));

        assertThat(kv.value("nested")).isEqualTo("saw before");
        TxnResponse nested = response.getResponses(1).getResponseTxn();
        assertThat(nested.getSucceeded()).isTrue();
        assertThat(nested.getHeader().getRevision()).as("etcd leaves a nested header empty").isZero();
        assertThat(nested.getResponses(0).getResponsePut().getHeader().getRevision()).isEqualTo(3);
        assertThat(response.getHeader().getRevision()).isEqualTo(3);
    }

    @Test
    void a_txn_putting_the_same_key_twice_is_refused_whole() {
        assertThat(etcdError(() -> kv.txn(TxnRequest.newBuilder().addSuccess(put("a", "1")).addSuccess(put("a", "2")))))
                .isEqualTo(EtcdError.DUPLICATE_KEY);
        assertThat(etcdError(() -> kv.txn(TxnRequest.newBuilder().addSuccess(deleteRange("a", "c"))
                .addSuccess(put("b", "1"))))).as("a put inside a deleted range").isEqualTo(EtcdError.DUPLICATE_KEY);
        assertThat(etcdError(() -> kv.txn(TxnRequest.newBuilder().addSuccess(put("a", "1"))
                .addSuccess(nested(TxnRequest.newBuilder().addSuccess(put("a", "2")))))))
                .as("a nested put of a key the outer txn puts").isEqualTo(EtcdError.DUPLICATE_KEY);
        assertThat(kv.store().currentRevision()).isEqualTo(1);
        assertThat(kv.store().appliedIndex()).isEqualTo(3);
        assertThat(EtcdError.DUPLICATE_KEY.message()).isEqualTo("etcdserver: duplicate key given in txn request");
    }

    @Test
    void the_two_branches_of_a_nested_txn_may_put_the_same_key_as_only_one_runs() {
        TxnResponse response = kv.txn(TxnRequest.newBuilder().addSuccess(nested(TxnRequest.newBuilder()
                .addCompare(valueIs("x", "y"))
                .addSuccess(put("a", "then"))
                .addFailure(put("a", "else")))));
        assertThat(response.getSucceeded()).isTrue();
        assertThat(kv.value("a")).isEqualTo("else");
    }

    @Test
    void like_etcd_a_delete_of_everything_from_a_key_does_not_count_as_writing_the_keys_a_txn_puts() {
        kv.put("b", "old");
        TxnResponse response = kv.txn(TxnRequest.newBuilder()
                .addSuccess(RequestOp.newBuilder().setRequestDeleteRange(DeleteRangeRequest.newBuilder()
                        .setKey(bytes("a")).setRangeEnd(ByteString.copyFrom(new byte[] {0}))))
                .addSuccess(put("b", "new")));

        assertThat(response.getSucceeded()).isTrue();
        KeyValue b = kv.get("b").getKvs(0);
        assertThat(text(b.getValue())).isEqualTo("new");
        assertThat(b.getVersion()).as("deleted, then created again in the same revision").isEqualTo(1);
        assertThat(b.getCreateRevision()).isEqualTo(3);
    }

    @Test
    void a_txn_that_fails_half_way_changes_nothing_where_etcd_would_crash() {
        // etcd accepts this txn (see above), checks ignore_value against the store before the
        // txn, then fails the put after the delete, inside the write: etcd 3.5 panics there.
        kv.put("b", "old");
        long applied = kv.store().appliedIndex();
        assertThat(etcdError(() -> kv.txn(TxnRequest.newBuilder()
                .addSuccess(RequestOp.newBuilder().setRequestDeleteRange(DeleteRangeRequest.newBuilder()
                        .setKey(bytes("a")).setRangeEnd(ByteString.copyFrom(new byte[] {0}))))
                .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(bytes("b"))
                        .setIgnoreValue(true)))))).isEqualTo(EtcdError.KEY_NOT_FOUND);

        assertThat(kv.value("b")).isEqualTo("old");
        assertThat(kv.store().currentRevision()).isEqualTo(2);
        assertThat(kv.store().appliedIndex()).isEqualTo(applied + 1);
        kv.reopen();
        assertThat(kv.value("b")).isEqualTo("old");
        assertThat(kv.put("b", "next").getHeader().getRevision()).isEqualTo(3);
    }

    @Test
    void a_put_with_a_missing_lease_or_a_range_at_a_future_revision_refuses_the_whole_txn() {
        assertThat(etcdError(() -> kv.txn(TxnRequest.newBuilder().addSuccess(put("a", "1"))
                .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(bytes("b"))
                        .setLease(99))))))
                .isEqualTo(EtcdError.LEASE_NOT_FOUND);
        assertThat(etcdError(() -> kv.txn(TxnRequest.newBuilder().addSuccess(put("a", "1"))
                .addSuccess(RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(bytes("a"))
                        .setRevision(2))))))
                .as("the txn's own revision is still the future").isEqualTo(EtcdError.FUTURE_REV);
        assertThat(kv.value("a")).isNull();
        assertThat(kv.store().currentRevision()).isEqualTo(1);
    }

    @Test
    void a_read_only_txn_is_served_without_raft_and_one_that_writes_is_refused() {
        kv.put("a", "1");
        TxnResponse read = kv.store().readTxn(TxnRequest.newBuilder().addCompare(valueIs("a", "1"))
                .addSuccess(range("a")).build());
        assertThat(read.getSucceeded()).isTrue();
        assertThat(read.getHeader().getRevision()).isEqualTo(2);
        assertThat(text(read.getResponses(0).getResponseRange().getKvs(0).getValue())).isEqualTo("1");

        assertThatThrownBy(() -> kv.store().readTxn(TxnRequest.newBuilder().addSuccess(put("a", "2")).build()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void an_op_without_a_request_is_refused_as_etcd_refuses_it() {
        assertThat(etcdError(() -> kv.txn(TxnRequest.newBuilder().addSuccess(RequestOp.getDefaultInstance()))))
                .isEqualTo(EtcdError.KEY_NOT_FOUND);
    }

    record RangeResponseView(ResponseOp op) {
        String value() {
            return text(op.getResponseRange().getKvs(0).getValue());
        }

        long revision() {
            return op.getResponseRange().getHeader().getRevision();
        }
    }

    static RequestOp put(String key, String value) {
        return RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(bytes(key)).setValue(bytes(value)))
                .build();
    }

    static RequestOp range(String key) {
        return RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(bytes(key))).build();
    }

    static RequestOp delete(String key) {
        return RequestOp.newBuilder().setRequestDeleteRange(DeleteRangeRequest.newBuilder().setKey(bytes(key))).build();
    }

    static RequestOp deleteRange(String key, String end) {
        return RequestOp.newBuilder().setRequestDeleteRange(DeleteRangeRequest.newBuilder().setKey(bytes(key))
                .setRangeEnd(bytes(end))).build();
    }

    static RequestOp nested(TxnRequest.Builder txn) {
        return RequestOp.newBuilder().setRequestTxn(txn).build();
    }

    static Compare valueIs(String key, String value) {
        return Compare.newBuilder().setKey(bytes(key)).setTarget(Compare.CompareTarget.VALUE)
                .setResult(Compare.CompareResult.EQUAL).setValue(bytes(value)).build();
    }
}
