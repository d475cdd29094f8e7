package dev.consensus.store.mvcc;

import static dev.consensus.store.mvcc.MvccFixture.bytes;
import static dev.consensus.store.mvcc.MvccFixture.etcdError;
import static dev.consensus.store.mvcc.MvccFixture.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.consensus.api.etcdserverpb.PutRequest;
import dev.consensus.api.etcdserverpb.PutResponse;
import dev.consensus.api.mvccpb.KeyValue;
import org.junit.jupiter.api.Test;

/** Put and its options: prev_kv, ignore_value, ignore_lease, leases, and the refusals. */
class PutTest extends StoreTestBase {

    @Test
    void prev_kv_returns_the_pair_replaced_and_nothing_for_a_new_key() {
        PutResponse first = kv.put(put("k", "v1").setPrevKv(true));
        assertThat(first.hasPrevKv()).isFalse();

        PutResponse second = kv.put(put("k", "v2").setPrevKv(true));
        KeyValue prev = second.getPrevKv();
        assertThat(text(prev.getValue())).isEqualTo("v1");
        assertThat(prev.getModRevision()).isEqualTo(first.getHeader().getRevision());
        assertThat(prev.getVersion()).isEqualTo(1);
        assertThat(kv.put("k", "v3").hasPrevKv()).as("only when asked").isFalse();
    }

    @Test
    void ignore_value_keeps_the_value_and_still_makes_a_new_version() {
        kv.put("k", "kept");
        long revision = kv.put(PutRequest.newBuilder().setKey(bytes("k")).setIgnoreValue(true)).getHeader().getRevision();

        KeyValue now = kv.get("k").getKvs(0);
        assertThat(text(now.getValue())).isEqualTo("kept");
        assertThat(now.getVersion()).isEqualTo(2);
        assertThat(now.getModRevision()).isEqualTo(revision);
    }

    @Test
    void ignore_lease_keeps_the_lease_and_a_put_without_it_detaches_the_key() {
        long lease = kv.grant(7, 60);
        kv.put(put("k", "v1").setLease(lease));

        kv.put(put("k", "v2").setIgnoreLease(true));
        assertThat(kv.get("k").getKvs(0).getLease()).isEqualTo(lease);
        assertThat(kv.store().lease(lease).orElseThrow().keys()).containsExactly(bytes("k"));

        kv.put("k", "v3");
        assertThat(kv.get("k").getKvs(0).getLease()).isZero();
        assertThat(kv.store().lease(lease).orElseThrow().keys()).isEmpty();
    }

    @Test
    void a_put_moves_a_key_from_one_lease_to_another() {
        long first = kv.grant(1, 60);
        long second = kv.grant(2, 60);
        kv.put(put("k", "v").setLease(first));
        kv.put(put("k", "v").setLease(second));

        assertThat(kv.store().lease(first).orElseThrow().keys()).isEmpty();
        assertThat(kv.store().lease(second).orElseThrow().keys()).containsExactly(bytes("k"));
    }

    @Test
    void ignore_value_or_ignore_lease_on_a_missing_key_is_key_not_found_and_changes_nothing() {
        long before = kv.store().currentRevision();

        assertThat(etcdError(() -> kv.put(PutRequest.newBuilder().setKey(bytes("k")).setIgnoreValue(true))))
                .isEqualTo(EtcdError.KEY_NOT_FOUND);
        assertThat(etcdError(() -> kv.put(put("k", "v").setIgnoreLease(true)))).isEqualTo(EtcdError.KEY_NOT_FOUND);
        assertThat(kv.store().currentRevision()).isEqualTo(before);
        assertThat(kv.store().appliedIndex()).as("the refused entries are still applied").isEqualTo(2);
        assertThat(kv.get("k").getKvsList()).isEmpty();
    }

    @Test
    void a_value_with_ignore_value_or_a_lease_with_ignore_lease_is_refused() {
        kv.put("k", "v");
        assertThat(etcdError(() -> kv.put(put("k", "x").setIgnoreValue(true)))).isEqualTo(EtcdError.VALUE_PROVIDED);
        assertThat(etcdError(() -> kv.put(put("k", "x").setLease(5).setIgnoreLease(true))))
                .isEqualTo(EtcdError.LEASE_PROVIDED);
        assertThat(EtcdError.VALUE_PROVIDED.message()).isEqualTo("etcdserver: value is provided");
        assertThat(EtcdError.LEASE_PROVIDED.message()).isEqualTo("etcdserver: lease is provided");
    }

    @Test
    void a_put_naming_a_lease_that_does_not_exist_is_refused_with_lease_not_found() {
        assertThat(etcdError(() -> kv.put(put("k", "v").setLease(404)))).isEqualTo(EtcdError.LEASE_NOT_FOUND);
        assertThat(EtcdError.LEASE_NOT_FOUND.code()).isEqualTo(io.grpc.Status.Code.NOT_FOUND);
        assertThat(kv.get("k").getKvsList()).isEmpty();
    }

    @Test
    void a_put_without_a_key_is_refused() {
        assertThat(etcdError(() -> kv.put(put("", "v")))).isEqualTo(EtcdError.EMPTY_KEY);
    }

    @Test
    void an_empty_value_is_a_value() {
        kv.put("k", "");
        assertThat(kv.get("k").getKvsCount()).isEqualTo(1);
        assertThat(kv.value("k")).isEmpty();
    }

    private static PutRequest.Builder put(String key, String value) {
        return PutRequest.newBuilder().setKey(bytes(key)).setValue(bytes(value));
    }
}
