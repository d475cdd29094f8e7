package dev.consensus.store.mvcc;

import static dev.consensus.store.mvcc.MvccFixture.bytes;
import static dev.consensus.store.mvcc.MvccFixture.etcdError;
import static dev.consensus.store.mvcc.MvccFixture.keys;
import static dev.consensus.store.mvcc.MvccFixture.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.consensus.api.etcdserverpb.CompactionRequest;
import dev.consensus.api.etcdserverpb.RangeRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksIterator;

/** Compaction: what stays readable, the errors, the disk deletions and their resumption. */
class CompactionTest extends StoreTestBase {

    @Test
    void reads_at_or_above_the_compact_revision_are_unchanged_and_below_it_are_compacted() {
        kv.put("a", "1");                    // 2
        kv.put("a", "2");                    // 3
        kv.put("b", "1");                    // 4
        kv.put("a", "3");                    // 5
        compact(4);

        assertThat(valueAt("a", 4)).isEqualTo("2");
        assertThat(valueAt("b", 4)).isEqualTo("1");
        assertThat(valueAt("a", 5)).isEqualTo("3");
        assertThat(etcdError(() -> kv.range(RangeRequest.newBuilder().setKey(bytes("a")).setRevision(3))))
                .isEqualTo(EtcdError.COMPACTED);
        assertThat(EtcdError.COMPACTED.message()).isEqualTo("etcdserver: mvcc: required revision has been compacted");
        assertThat(kv.get("a").getKvs(0).getVersion()).as("versions survive compaction").isEqualTo(3);
        assertThat(kv.store().compactRevision()).isEqualTo(4);
    }

    @Test
    void compacting_to_the_compact_revision_or_below_is_compacted_and_above_the_current_one_is_future() {
        kv.put("a", "1");
        kv.put("a", "2");
        compact(2);

        assertThat(etcdError(() -> compact(2))).isEqualTo(EtcdError.COMPACTED);
        assertThat(etcdError(() -> compact(1))).isEqualTo(EtcdError.COMPACTED);
        assertThat(etcdError(() -> compact(4))).isEqualTo(EtcdError.FUTURE_REV);
        compact(3);
        assertThat(kv.store().compactRevision()).isEqualTo(3);
    }

    @Test
    void compaction_keeps_the_newest_write_at_or_below_it_of_each_live_key_and_drops_the_rest_from_disk() {
        kv.put("a", "1");                    // 2
        kv.put("a", "2");                    // 3
        kv.put("gone", "1");                 // 4
        kv.delete("gone");                   // 5
        kv.put("b", "1");                    // 6
        kv.put("a", "3");                    // 7
        assertThat(storedRevisions()).containsExactly(2L, 3L, 4L, 5L, 6L, 7L);

        compact(6);

        assertThat(storedRevisions()).as("a@3 is what a read at 6 needs; 'gone' is history")
                .containsExactly(3L, 6L, 7L);
        assertThat(keys(kv.range(RangeRequest.newBuilder().setKey(bytes("\0")).setRangeEnd(bytes("\0")).setRevision(6))))
                .containsExactly("a", "b");
    }

    @Test
    void a_tombstone_at_the_compact_revision_itself_is_not_kept_as_etcd_drops_it() {
        kv.put("k", "1");                    // 2
        kv.delete("k");                      // 3
        kv.put("other", "1");                // 4
        compact(3);
        // etcd's compaction removes a key's tombstone at the compact revision too, so a watch
        // from that revision replays no delete there (compat.EtcdScenarioTest shows it on etcd).
        assertThat(storedRevisions()).containsExactly(4L);
    }

    @Test
    void the_compacted_state_is_the_same_after_reopening() {
        for (int i = 0; i < 20; i++) {
            kv.put("k" + (i % 4), "v" + i);
        }
        kv.delete("k0");
        compact(15);
        List<String> before = snapshotAt(15);

        kv.reopen();

        assertThat(kv.store().compactRevision()).isEqualTo(15);
        assertThat(snapshotAt(15)).isEqualTo(before);
        assertThat(etcdError(() -> kv.range(RangeRequest.newBuilder().setKey(bytes("k1")).setRevision(14))))
                .isEqualTo(EtcdError.COMPACTED);
    }

    @Test
    void a_compaction_interrupted_before_its_disk_deletions_finish_resumes_at_open() throws Exception {
        kv.put("a", "1");                    // 2
        kv.put("a", "2");                    // 3
        kv.put("a", "3");                    // 4
        kv.close();
        // As if the process died right after applying "compact to 3": scheduled, nothing deleted.
        try (RocksBackend backend = RocksBackend.open(dir); ApplyBatch batch = new ApplyBatch(backend)) {
            batch.putCompactScheduled(3);
            batch.putApplied(new RaftPosition(4, 1));
            batch.commit();
        }

        kv = MvccFixture.open(dir);
        kv.store().physicalCompaction().get(30, TimeUnit.SECONDS);

        assertThat(kv.store().compactRevision()).isEqualTo(3);
        assertThat(valueAt("a", 3)).isEqualTo("2");
        kv.close();
        assertThat(storedRevisionsClosed()).containsExactly(3L, 4L);
        try (RocksBackend backend = RocksBackend.open(dir)) {
            assertThat(StoreMeta.read(backend).compactFinished()).isEqualTo(3);
        }
        kv = MvccFixture.open(dir);
    }

    @Test
    void deletions_go_in_batches_of_the_configured_size() throws Exception {
        kv.close();
        kv = MvccFixture.open(dir, MvccConfig.defaults().withCompactionBatchLimit(3));
        for (int i = 0; i < 25; i++) {
            kv.put("k", "v" + i);
        }
        compact(26);
        assertThat(storedRevisions()).containsExactly(26L);
    }

    private void compact(long revision) {
        kv.store().compact(kv.next(), CompactionRequest.newBuilder().setRevision(revision).setPhysical(true).build());
        try {
            kv.store().physicalCompaction().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private String valueAt(String key, long revision) {
        var kvs = kv.range(RangeRequest.newBuilder().setKey(bytes(key)).setRevision(revision)).getKvsList();
        return kvs.isEmpty() ? null : text(kvs.get(0).getValue());
    }

    private List<String> snapshotAt(long revision) {
        return kv.range(RangeRequest.newBuilder().setKey(bytes("\0")).setRangeEnd(bytes("\0")).setRevision(revision))
                .getKvsList().stream().map(Object::toString).toList();
    }

    /** The main revisions stored in the kv column family, read with the store closed. */
    private List<Long> storedRevisions() {
        kv.close();
        List<Long> revisions = storedRevisionsClosed();
        kv = MvccFixture.open(dir);
        return revisions;
    }

    private List<Long> storedRevisionsClosed() {
        List<Long> revisions = new ArrayList<>();
        try (RocksBackend backend = RocksBackend.open(dir); ReadOptions options = new ReadOptions();
                RocksIterator it = backend.iterator(backend.kv(), options)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                revisions.add(RevisionKey.decode(it.key()).revision().main());
            }
        }
        return revisions;
    }
}
