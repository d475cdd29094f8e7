package dev.consensus.store.mvcc;

import static dev.consensus.store.mvcc.MvccFixture.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.consensus.api.etcdserverpb.Compare;
import dev.consensus.api.etcdserverpb.CompactionRequest;
import dev.consensus.api.etcdserverpb.PutRequest;
import dev.consensus.api.etcdserverpb.PutResponse;
import dev.consensus.api.etcdserverpb.RequestOp;
import dev.consensus.api.etcdserverpb.TxnRequest;
import dev.consensus.api.etcdserverpb.TxnResponse;
import dev.consensus.api.etcdserverpb.WatchCreateRequest;
import dev.consensus.api.etcdserverpb.WatchResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Entries applied together share one RocksDB write, but each is still its own entry: it sees the
 * ones before it, a refusal takes back only its own changes, and nothing is visible until all of
 * them are written.
 */
class ApplyTogetherTest {

    @TempDir
    Path dir;

    @Test
    void each_entry_sees_the_ones_before_it_though_none_is_in_rocksdb_yet() {
        try (MvccFixture kv = MvccFixture.open(dir)) {
            List<Object> results = new ArrayList<>();
            kv.store().applyTogether(() -> {
                results.add(kv.store().put(kv.next(), put("k", "one").build()));
                results.add(kv.store().put(kv.next(), put("k", "two").setPrevKv(true).build()));
                results.add(kv.store().txn(kv.next(), TxnRequest.newBuilder()
                        .addCompare(Compare.newBuilder().setKey(bytes("k")).setTarget(Compare.CompareTarget.VALUE)
                                .setResult(Compare.CompareResult.EQUAL).setValue(bytes("two")))
                        .addSuccess(RequestOp.newBuilder().setRequestPut(put("k", "three"))).build()));
            });

            assertThat(((PutResponse) results.get(0)).getHeader().getRevision()).isEqualTo(2);
            assertThat(((PutResponse) results.get(1)).getPrevKv().getValue().toStringUtf8()).isEqualTo("one");
            assertThat(((TxnResponse) results.get(2)).getSucceeded()).isTrue();
            assertThat(kv.value("k")).isEqualTo("three");
            assertThat(kv.get("k").getKvs(0).getVersion()).isEqualTo(3);
            assertThat(kv.store().currentRevision()).isEqualTo(4);
            assertThat(kv.store().appliedIndex()).isEqualTo(3);
        }
    }

    @Test
    void a_refused_entry_takes_back_only_its_own_changes_and_is_still_applied() {
        try (MvccFixture kv = MvccFixture.open(dir)) {
            RaftPosition refusedAt = new RaftPosition(2, 1);
            kv.store().applyTogether(() -> {
                kv.store().put(kv.next(), put("a", "1").build());
                RaftPosition refused = kv.next();
                assertThatThrownBy(() -> kv.store().txn(refused, TxnRequest.newBuilder()
                        .addSuccess(RequestOp.newBuilder().setRequestPut(put("b", "written first")))
                        .addSuccess(RequestOp.newBuilder().setRequestPut(put("c", "x").setLease(42))).build()))
                        .isInstanceOf(EtcdException.class).hasMessageContaining("lease not found");
                assertThat(refused).isEqualTo(refusedAt);
                kv.store().put(kv.next(), put("d", "4").build());
            });

            assertThat(kv.value("a")).isEqualTo("1");
            assertThat(kv.value("b")).isNull();
            assertThat(kv.value("c")).isNull();
            assertThat(kv.get("d").getKvs(0).getModRevision()).as("the refused entry took no revision").isEqualTo(3);
            assertThat(kv.store().appliedIndex()).isEqualTo(3);

            kv.reopen();
            assertThat(kv.value("a")).isEqualTo("1");
            assertThat(kv.value("b")).isNull();
            assertThat(kv.value("d")).isEqualTo("4");
            assertThat(kv.store().currentRevision()).isEqualTo(3);
            assertThat(kv.store().appliedIndex()).isEqualTo(3);
        }
    }

    @Test
    void nothing_is_visible_to_readers_or_watchers_until_every_entry_is_written() throws Exception {
        try (MvccFixture kv = MvccFixture.open(dir)) {
            WatchRecorder recorder = new WatchRecorder();
            try (WatchStream stream = kv.store().openWatchStream(recorder)) {
                stream.watch(WatchCreateRequest.newBuilder().setKey(bytes("k")).setRangeEnd(bytes("l")).build());
                recorder.next(); // created
                long[] seenInside = new long[2];
                kv.store().applyTogether(() -> {
                    kv.store().put(kv.next(), put("k1", "v").build());
                    kv.store().put(kv.next(), put("k2", "v").build());
                    seenInside[0] = kv.store().currentRevision();
                    seenInside[1] = kv.store().appliedIndex();
                });
                assertThat(seenInside).containsExactly(1, 0);

                List<String> keys = new ArrayList<>();
                for (WatchResponse r : recorder.until(r -> r.getEventsList().stream()
                        .anyMatch(e -> e.getKv().getKey().toStringUtf8().equals("k2")), 10)) {
                    r.getEventsList().forEach(e -> keys.add(e.getKv().getKey().toStringUtf8()));
                }
                assertThat(keys).containsExactly("k1", "k2");
            }
        }
    }

    @Test
    void an_entry_applied_again_is_skipped_without_ending_the_others() {
        try (MvccFixture kv = MvccFixture.open(dir)) {
            kv.put("a", "1");
            kv.store().applyTogether(() -> {
                assertThatThrownBy(() -> kv.store().put(new RaftPosition(1, 1), put("a", "again").build()))
                        .isInstanceOf(AlreadyAppliedException.class);
                kv.store().put(kv.next(), put("b", "2").build());
            });
            assertThat(kv.value("a")).isEqualTo("1");
            assertThat(kv.value("b")).isEqualTo("2");
        }
    }

    @Test
    void only_key_writes_may_be_applied_together() {
        try (MvccFixture kv = MvccFixture.open(dir)) {
            kv.put("a", "1");
            assertThatThrownBy(() -> kv.store().applyTogether(() -> kv.store().compact(kv.next(),
                    CompactionRequest.newBuilder().setRevision(1).build())))
                    .isInstanceOf(IllegalStateException.class);
            kv.put("b", "2");
            assertThat(kv.value("b")).isEqualTo("2");
        }
    }

    @Test
    void a_fault_half_way_leaves_the_store_refusing_until_reopened_and_then_without_the_group() {
        try (MvccFixture kv = MvccFixture.open(dir)) {
            kv.put("a", "1");
            assertThatThrownBy(() -> kv.store().applyTogether(() -> {
                kv.store().put(kv.next(), put("b", "2").build());
                throw new IllegalStateException("the apply thread broke");
            })).hasMessage("the apply thread broke");
            assertThatThrownBy(() -> kv.put("c", "3")).isInstanceOf(MvccStorageException.class);

            kv.reopen();
            assertThat(kv.value("a")).isEqualTo("1");
            assertThat(kv.value("b")).isNull();
            assertThat(kv.store().appliedIndex()).isEqualTo(1);
        }
    }

    private static PutRequest.Builder put(String key, String value) {
        return PutRequest.newBuilder().setKey(bytes(key)).setValue(bytes(value));
    }
}
