package dev.consensus.store.mvcc;

import static dev.consensus.store.mvcc.MvccFixture.bytes;
import static dev.consensus.store.mvcc.MvccFixture.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.consensus.api.etcdserverpb.RangeRequest;
import dev.consensus.api.mvccpb.KeyValue;
import org.junit.jupiter.api.Test;

/** One global revision; per key create revision, mod revision and version; tombstones. */
class RevisionsTest extends StoreTestBase {

    @Test
    void an_empty_store_is_at_revision_one_as_etcd_is() {
        assertThat(kv.store().currentRevision()).isEqualTo(1);
        assertThat(kv.get("a").getHeader().getRevision()).isEqualTo(1);
        assertThat(kv.store().compactRevision()).isZero();
    }

    @Test
    void every_put_makes_the_next_revision_and_raises_the_keys_version() {
        assertThat(kv.put("a", "1").getHeader().getRevision()).isEqualTo(2);
        assertThat(kv.put("b", "1").getHeader().getRevision()).isEqualTo(3);
        assertThat(kv.put("a", "2").getHeader().getRevision()).isEqualTo(4);

        KeyValue a = kv.get("a").getKvs(0);
        assertThat(a.getCreateRevision()).isEqualTo(2);
        assertThat(a.getModRevision()).isEqualTo(4);
        assertThat(a.getVersion()).isEqualTo(2);
        assertThat(text(a.getValue())).isEqualTo("2");
        assertThat(kv.store().currentRevision()).isEqualTo(4);
    }

    @Test
    void a_delete_writes_a_tombstone_and_a_new_put_starts_a_new_life_at_version_one() {
        kv.put("a", "1");
        kv.put("a", "2");
        long deletedAt = kv.delete("a").getHeader().getRevision();
        assertThat(kv.get("a").getKvsList()).isEmpty();

        long recreatedAt = kv.put("a", "3").getHeader().getRevision();
        KeyValue a = kv.get("a").getKvs(0);
        assertThat(recreatedAt).isEqualTo(deletedAt + 1);
        assertThat(a.getCreateRevision()).isEqualTo(recreatedAt);
        assertThat(a.getVersion()).isEqualTo(1);
    }

    @Test
    void a_read_at_a_past_revision_sees_the_key_as_it_was_then() {
        long r1 = kv.put("a", "1").getHeader().getRevision();
        long r2 = kv.put("a", "2").getHeader().getRevision();
        long deleted = kv.delete("a").getHeader().getRevision();
        long r3 = kv.put("a", "3").getHeader().getRevision();

        assertThat(valueAt("a", r1 - 1)).isNull();
        assertThat(valueAt("a", r1)).isEqualTo("1");
        assertThat(valueAt("a", r2)).isEqualTo("2");
        assertThat(valueAt("a", deleted)).isNull();
        assertThat(valueAt("a", r3)).isEqualTo("3");
        KeyValue old = kv.range(RangeRequest.newBuilder().setKey(bytes("a")).setRevision(r2)).getKvs(0);
        assertThat(old.getVersion()).isEqualTo(2);
        assertThat(old.getCreateRevision()).isEqualTo(r1);
    }

    @Test
    void a_delete_that_matches_nothing_makes_no_revision() {
        long before = kv.put("a", "1").getHeader().getRevision();

        assertThat(kv.delete("missing").getHeader().getRevision()).isEqualTo(before);
        assertThat(kv.store().currentRevision()).isEqualTo(before);
        assertThat(kv.put("b", "1").getHeader().getRevision()).isEqualTo(before + 1);
    }

    @Test
    void the_history_rebuilt_at_open_answers_every_past_read_the_same() {
        long r1 = kv.put("a", "1").getHeader().getRevision();
        kv.put("b", "1");
        long deleted = kv.delete("a").getHeader().getRevision();
        long r3 = kv.put("a", "3").getHeader().getRevision();

        kv.reopen();

        assertThat(valueAt("a", r1)).isEqualTo("1");
        assertThat(valueAt("a", deleted)).isNull();
        assertThat(valueAt("a", r3)).isEqualTo("3");
        assertThat(kv.get("a").getKvs(0).getVersion()).isEqualTo(1);
        assertThat(kv.store().currentRevision()).isEqualTo(r3);
        kv.put("a", "4");
        assertThat(kv.get("a").getKvs(0).getVersion()).isEqualTo(2);
    }

    private String valueAt(String key, long revision) {
        var kvs = kv.range(RangeRequest.newBuilder().setKey(bytes(key)).setRevision(revision)).getKvsList();
        return kvs.isEmpty() ? null : text(kvs.get(0).getValue());
    }
}
