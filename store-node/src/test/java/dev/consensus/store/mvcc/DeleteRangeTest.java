package dev.consensus.store.mvcc;

import static dev.consensus.store.mvcc.MvccFixture.bytes;
import static dev.consensus.store.mvcc.MvccFixture.etcdError;
import static dev.consensus.store.mvcc.MvccFixture.keys;
import static dev.consensus.store.mvcc.MvccFixture.prefix;
import static dev.consensus.store.mvcc.MvccFixture.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.consensus.api.etcdserverpb.DeleteRangeRequest;
import dev.consensus.api.etcdserverpb.DeleteRangeResponse;
import dev.consensus.api.etcdserverpb.PutRequest;
import dev.consensus.api.etcdserverpb.RangeRequest;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Delete range: a key, an interval, everything from a key; prev_kv; one revision for all. */
class DeleteRangeTest {

    @TempDir
    Path dir;

    MvccFixture kv;

    @BeforeEach
    void fill() {
        kv = MvccFixture.open(dir);
        for (String key : new String[] {"a", "b", "c", "d"}) {
            kv.put(key, key.toUpperCase());
        }
    }

    @AfterEach
    void close() {
        kv.close();
    }

    @Test
    void deleting_an_interval_removes_its_keys_at_one_revision_and_returns_them_with_prev_kv() {
        DeleteRangeResponse deleted = kv.delete(DeleteRangeRequest.newBuilder().setKey(bytes("b"))
                .setRangeEnd(bytes("d")).setPrevKv(true));

        assertThat(deleted.getDeleted()).isEqualTo(2);
        assertThat(deleted.getHeader().getRevision()).isEqualTo(6);
        assertThat(deleted.getPrevKvsList()).extracting(kv -> text(kv.getKey()) + "=" + text(kv.getValue()))
                .containsExactly("b=B", "c=C");
        assertThat(keys(kv.range(RangeRequest.newBuilder().setKey(bytes("\0")).setRangeEnd(bytes("\0")))))
                .containsExactly("a", "d");
    }

    @Test
    void without_prev_kv_the_deleted_pairs_are_not_returned() {
        DeleteRangeResponse deleted = kv.delete("a");
        assertThat(deleted.getDeleted()).isEqualTo(1);
        assertThat(deleted.getPrevKvsList()).isEmpty();
    }

    @Test
    void a_range_end_of_zero_byte_deletes_every_key_from_the_key_on() {
        DeleteRangeResponse deleted = kv.delete(DeleteRangeRequest.newBuilder().setKey(bytes("b"))
                .setRangeEnd(ByteString.copyFrom(new byte[] {0})));
        assertThat(deleted.getDeleted()).isEqualTo(3);
        assertThat(kv.range(prefix("a")).getCount()).isEqualTo(1);
    }

    @Test
    void deleting_nothing_returns_the_current_revision_and_makes_none() {
        DeleteRangeResponse nothing = kv.delete(DeleteRangeRequest.newBuilder().setKey(bytes("x")).setPrevKv(true));
        assertThat(nothing.getDeleted()).isZero();
        assertThat(nothing.getPrevKvsList()).isEmpty();
        assertThat(nothing.getHeader().getRevision()).isEqualTo(5);
        assertThat(kv.store().currentRevision()).isEqualTo(5);
    }

    @Test
    void deleting_a_deleted_key_again_changes_nothing() {
        kv.delete("a");
        assertThat(kv.delete("a").getDeleted()).isZero();
        assertThat(kv.store().currentRevision()).isEqualTo(6);
    }

    @Test
    void a_deleted_key_leaves_its_lease() {
        long lease = kv.grant(3, 60);
        kv.put(PutRequest.newBuilder().setKey(bytes("leased")).setValue(bytes("v")).setLease(lease));
        kv.delete("leased");
        assertThat(kv.store().lease(lease).orElseThrow().keys()).isEmpty();
    }

    @Test
    void a_delete_without_a_key_is_refused() {
        assertThat(etcdError(() -> kv.delete(DeleteRangeRequest.newBuilder().setRangeEnd(bytes("z")))))
                .isEqualTo(EtcdError.EMPTY_KEY);
    }
}
