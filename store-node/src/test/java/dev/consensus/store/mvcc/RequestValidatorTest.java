package dev.consensus.store.mvcc;

import static dev.consensus.store.mvcc.MvccFixture.bytes;
import static dev.consensus.store.mvcc.MvccFixture.etcdError;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.consensus.api.etcdserverpb.Compare;
import dev.consensus.api.etcdserverpb.DeleteRangeRequest;
import dev.consensus.api.etcdserverpb.PutRequest;
import dev.consensus.api.etcdserverpb.RangeRequest;
import dev.consensus.api.etcdserverpb.RequestOp;
import dev.consensus.api.etcdserverpb.TxnRequest;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

/** The checks etcd makes before proposing a request, in its order and words. */
class RequestValidatorTest {

    private final RequestValidator validator = new RequestValidator(MvccConfig.defaults().withMaxTxnOps(3));

    @Test
    void requests_without_a_key_are_refused() {
        assertThat(etcdError(() -> validator.checkRange(RangeRequest.getDefaultInstance()))).isEqualTo(EtcdError.EMPTY_KEY);
        assertThat(etcdError(() -> validator.checkPut(PutRequest.getDefaultInstance()))).isEqualTo(EtcdError.EMPTY_KEY);
        assertThat(etcdError(() -> validator.checkDeleteRange(DeleteRangeRequest.getDefaultInstance())))
                .isEqualTo(EtcdError.EMPTY_KEY);
        assertThat(etcdError(() -> validator.checkTxn(TxnRequest.newBuilder()
                .addCompare(Compare.getDefaultInstance()).build()))).isEqualTo(EtcdError.EMPTY_KEY);
    }

    @Test
    void a_valid_request_passes() {
        validator.checkRange(RangeRequest.newBuilder().setKey(bytes("a")).build());
        validator.checkPut(PutRequest.newBuilder().setKey(bytes("a")).setIgnoreValue(true).setIgnoreLease(true).build());
        validator.checkTxn(TxnRequest.newBuilder().addSuccess(put("a")).addFailure(put("a")).build());
    }

    @Test
    void more_compares_or_ops_than_the_limit_in_any_list_is_too_many_operations() {
        TxnRequest.Builder fourPuts = TxnRequest.newBuilder();
        for (String key : new String[] {"a", "b", "c", "d"}) {
            fourPuts.addFailure(put(key));
        }
        assertThat(etcdError(() -> validator.checkTxn(fourPuts.build()))).isEqualTo(EtcdError.TOO_MANY_OPS);
        assertThat(EtcdError.TOO_MANY_OPS.message()).isEqualTo("etcdserver: too many operations in txn request");
        assertThat(EtcdError.TOO_MANY_OPS.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(MvccConfig.defaults().maxTxnOps()).isEqualTo(128);
    }

    @Test
    void a_nested_txn_has_what_is_left_of_the_limit() {
        TxnRequest twoPuts = TxnRequest.newBuilder().addSuccess(put("x")).addSuccess(put("y")).build();
        TxnRequest outer = TxnRequest.newBuilder().addSuccess(put("a"))
                .addSuccess(RequestOp.newBuilder().setRequestTxn(twoPuts)).build();
        assertThat(etcdError(() -> validator.checkTxn(outer))).as("3 - 2 leaves 1 for the nested txn")
                .isEqualTo(EtcdError.TOO_MANY_OPS);
    }

    @Test
    void the_too_many_ops_check_comes_before_the_key_checks() {
        TxnRequest.Builder txn = TxnRequest.newBuilder().addSuccess(put(""));
        for (int i = 0; i < 4; i++) {
            txn.addCompare(Compare.getDefaultInstance());
        }
        assertThat(etcdError(() -> validator.checkTxn(txn.build()))).isEqualTo(EtcdError.TOO_MANY_OPS);
    }

    @Test
    void an_op_with_no_request_is_key_not_found() {
        assertThat(etcdError(() -> validator.checkTxn(TxnRequest.newBuilder()
                .addSuccess(RequestOp.getDefaultInstance()).build()))).isEqualTo(EtcdError.KEY_NOT_FOUND);
    }

    @Test
    void ignore_flags_with_a_value_or_lease_are_refused() {
        assertThat(etcdError(() -> validator.checkPut(PutRequest.newBuilder().setKey(bytes("a"))
                .setValue(bytes("v")).setIgnoreValue(true).build()))).isEqualTo(EtcdError.VALUE_PROVIDED);
        assertThat(etcdError(() -> validator.checkPut(PutRequest.newBuilder().setKey(bytes("a"))
                .setLease(1).setIgnoreLease(true).build()))).isEqualTo(EtcdError.LEASE_PROVIDED);
    }

    @Test
    void writing_a_key_twice_in_a_branch_is_a_duplicate_key_but_reading_it_twice_is_not() {
        assertThat(etcdError(() -> validator.checkTxn(TxnRequest.newBuilder()
                .addSuccess(put("a")).addSuccess(put("a")).build()))).isEqualTo(EtcdError.DUPLICATE_KEY);
        assertThat(etcdError(() -> validator.checkTxn(TxnRequest.newBuilder()
                .addFailure(put("b")).addFailure(delete("a", "c")).build()))).isEqualTo(EtcdError.DUPLICATE_KEY);
        assertThat(etcdError(() -> validator.checkTxn(TxnRequest.newBuilder()
                .addSuccess(delete("b", "")).addSuccess(put("b")).build()))).isEqualTo(EtcdError.DUPLICATE_KEY);
        validator.checkTxn(TxnRequest.newBuilder().addSuccess(range("a")).addSuccess(range("a"))
                .addSuccess(put("a")).build());
        validator.checkTxn(TxnRequest.newBuilder().addSuccess(delete("a", "c")).addSuccess(delete("b", "d")).build());
        validator.checkTxn(TxnRequest.newBuilder().addSuccess(delete("a", "c")).addSuccess(put("c")).build());
    }

    @Test
    void nested_puts_clash_with_the_outer_branch_and_with_earlier_nested_txns_but_then_and_else_may_share() {
        TxnRequest putsA = TxnRequest.newBuilder().addSuccess(put("a")).build();
        assertThat(etcdError(() -> validator.checkTxn(TxnRequest.newBuilder().addSuccess(nested(putsA))
                .addSuccess(put("a")).build()))).isEqualTo(EtcdError.DUPLICATE_KEY);
        assertThat(etcdError(() -> validator.checkTxn(TxnRequest.newBuilder().addSuccess(delete("a", "b"))
                .addSuccess(nested(putsA)).build()))).isEqualTo(EtcdError.DUPLICATE_KEY);
        assertThat(etcdError(() -> validator.checkTxn(TxnRequest.newBuilder().addSuccess(nested(putsA))
                .addSuccess(nested(putsA)).build()))).isEqualTo(EtcdError.DUPLICATE_KEY);
        TxnRequest deletesA = TxnRequest.newBuilder().addFailure(delete("a", "")).build();
        assertThat(etcdError(() -> validator.checkTxn(TxnRequest.newBuilder().addSuccess(nested(deletesA))
                .addSuccess(put("a")).build()))).as("a nested delete covers an outer put")
                .isEqualTo(EtcdError.DUPLICATE_KEY);
        validator.checkTxn(TxnRequest.newBuilder().addSuccess(nested(TxnRequest.newBuilder()
                .addSuccess(put("a")).addFailure(put("a")).build())).build());
    }

    @Test
    void like_etcd_a_delete_from_a_key_on_does_not_clash_with_puts() {
        validator.checkTxn(TxnRequest.newBuilder().addSuccess(RequestOp.newBuilder().setRequestDeleteRange(
                DeleteRangeRequest.newBuilder().setKey(bytes("a")).setRangeEnd(ByteString.copyFrom(new byte[] {0}))))
                .addSuccess(put("b")).build());
    }

    private static RequestOp put(String key) {
        return RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(bytes(key))).build();
    }

    private static RequestOp range(String key) {
        return RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(bytes(key))).build();
    }

    private static RequestOp delete(String key, String end) {
        return RequestOp.newBuilder().setRequestDeleteRange(DeleteRangeRequest.newBuilder().setKey(bytes(key))
                .setRangeEnd(bytes(end))).build();
    }

    private static RequestOp nested(TxnRequest txn) {
        return RequestOp.newBuilder().setRequestTxn(txn).build();
    }
}
