package dev.consensus.store.mvcc;

import static dev.consensus.store.mvcc.MvccFixture.bytes;
import static dev.consensus.store.mvcc.MvccFixture.etcdError;
import static dev.consensus.store.mvcc.MvccFixture.keys;
import static dev.consensus.store.mvcc.MvccFixture.prefix;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.consensus.api.etcdserverpb.RangeRequest;
import dev.consensus.api.etcdserverpb.RangeRequest.SortOrder;
import dev.consensus.api.etcdserverpb.RangeRequest.SortTarget;
import dev.consensus.api.etcdserverpb.RangeResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every option of a range, against a fixed data set built so that each sort target orders the
 * keys differently:
 *
 * <pre>
 *   key    value  version  create  mod
 *   /r/a   "3"    1        2       2
 *   /r/b   "5"    3        3       10
 *   /r/c   "1"    1        4       4
 *   /r/d   "4"    2        5       8
 *   /r/e   "2"    1        6       6
 *   other  "x"    1        7       7
 * </pre>
 */
class RangeTest {

    @TempDir
    Path dir;

    MvccFixture kv;

    @BeforeEach
    void fill() {
        kv = MvccFixture.open(dir);
        kv.put("/r/a", "3");      // 2
        kv.put("/r/b", "0");      // 3
        kv.put("/r/c", "1");      // 4
        kv.put("/r/d", "0");      // 5
        kv.put("/r/e", "2");      // 6
        kv.put("other", "x");     // 7
        kv.put("/r/d", "4");      // 8
        kv.put("/r/b", "0");      // 9
        kv.put("/r/b", "5");      // 10
        assertThat(kv.store().currentRevision()).isEqualTo(10);
    }

    @AfterEach
    void close() {
        kv.close();
    }

    @Test
    void a_single_key_a_prefix_an_interval_and_everything_from_a_key() {
        assertThat(keys(kv.get("/r/c"))).containsExactly("/r/c");
        assertThat(keys(kv.get("/r/"))).isEmpty();
        assertThat(keys(kv.range(prefix("/r/")))).containsExactly("/r/a", "/r/b", "/r/c", "/r/d", "/r/e");
        assertThat(keys(kv.range(interval("/r/b", "/r/d")))).containsExactly("/r/b", "/r/c");
        assertThat(keys(kv.range(interval("/r/c", "\0")))).containsExactly("/r/c", "/r/d", "/r/e", "other");
        assertThat(keys(kv.range(interval("\0", "\0")))).hasSize(6);
    }

    @Test
    void an_interval_whose_end_is_not_above_its_start_is_empty() {
        assertThat(kv.range(interval("/r/d", "/r/b")).getCount()).isZero();
        assertThat(kv.range(interval("/r/d", "/r/d")).getKvsList()).isEmpty();
    }

    @Test
    void the_header_carries_the_current_revision_even_for_a_past_read() {
        RangeResponse past = kv.range(prefix("/r/").setRevision(4));

        assertThat(keys(past)).containsExactly("/r/a", "/r/b", "/r/c");
        assertThat(past.getHeader().getRevision()).isEqualTo(10);
    }

    @Test
    void revision_zero_or_below_reads_the_current_one_and_above_it_is_a_future_revision() {
        assertThat(kv.range(prefix("/r/").setRevision(0)).getCount()).isEqualTo(5);
        assertThat(kv.range(prefix("/r/").setRevision(-3)).getCount()).isEqualTo(5);
        assertThat(kv.range(prefix("/r/").setRevision(10)).getCount()).isEqualTo(5);
        assertThat(etcdError(() -> kv.range(prefix("/r/").setRevision(11)))).isEqualTo(EtcdError.FUTURE_REV);
    }

    @Test
    void a_limit_returns_the_first_keys_says_more_and_still_counts_every_match() {
        RangeResponse limited = kv.range(prefix("/r/").setLimit(2));
        assertThat(keys(limited)).containsExactly("/r/a", "/r/b");
        assertThat(limited.getMore()).isTrue();
        assertThat(limited.getCount()).isEqualTo(5);

        RangeResponse exact = kv.range(prefix("/r/").setLimit(5));
        assertThat(exact.getKvsCount()).isEqualTo(5);
        assertThat(exact.getMore()).isFalse();
        assertThat(kv.range(prefix("/r/").setLimit(-1)).getKvsCount()).as("a negative limit is none").isEqualTo(5);
    }

    @Test
    void count_only_counts_without_returning_keys() {
        RangeResponse counted = kv.range(prefix("/r/").setCountOnly(true).setLimit(1));
        assertThat(counted.getKvsList()).isEmpty();
        assertThat(counted.getCount()).isEqualTo(5);
        assertThat(counted.getMore()).isFalse();
        assertThat(kv.range(prefix("/r/").setCountOnly(true).setRevision(3)).getCount()).isEqualTo(2);
    }

    @Test
    void keys_only_leaves_out_values_but_keeps_everything_else() {
        RangeResponse response = kv.range(prefix("/r/").setKeysOnly(true));
        assertThat(response.getKvsList()).allSatisfy(kv -> assertThat(kv.getValue().isEmpty()).isTrue());
        assertThat(response.getKvs(1).getVersion()).isEqualTo(3);
        assertThat(response.getKvs(1).getModRevision()).isEqualTo(10);
    }

    @Test
    void each_sort_target_sorts_ascending_and_descending() {
        assertThat(sorted(SortTarget.KEY, SortOrder.DESCEND)).containsExactly("/r/e", "/r/d", "/r/c", "/r/b", "/r/a");
        assertThat(sorted(SortTarget.VALUE, SortOrder.ASCEND)).containsExactly("/r/c", "/r/e", "/r/a", "/r/d", "/r/b");
        assertThat(sorted(SortTarget.VALUE, SortOrder.DESCEND)).containsExactly("/r/b", "/r/d", "/r/a", "/r/e", "/r/c");
        assertThat(sorted(SortTarget.CREATE, SortOrder.DESCEND)).containsExactly("/r/e", "/r/d", "/r/c", "/r/b", "/r/a");
        assertThat(sorted(SortTarget.MOD, SortOrder.ASCEND)).containsExactly("/r/a", "/r/c", "/r/e", "/r/d", "/r/b");
        assertThat(sorted(SortTarget.MOD, SortOrder.DESCEND)).containsExactly("/r/b", "/r/d", "/r/e", "/r/c", "/r/a");
        // Equal versions keep key order (Go's sort leaves their order open; ours is stable).
        assertThat(sorted(SortTarget.VERSION, SortOrder.ASCEND)).containsExactly("/r/a", "/r/c", "/r/e", "/r/d", "/r/b");
        assertThat(sorted(SortTarget.VERSION, SortOrder.DESCEND)).containsExactly("/r/b", "/r/d", "/r/a", "/r/c", "/r/e");
    }

    @Test
    void with_no_order_a_target_other_than_key_sorts_ascending_and_key_keeps_key_order() {
        assertThat(sorted(SortTarget.MOD, SortOrder.NONE)).containsExactly("/r/a", "/r/c", "/r/e", "/r/d", "/r/b");
        assertThat(sorted(SortTarget.KEY, SortOrder.NONE)).containsExactly("/r/a", "/r/b", "/r/c", "/r/d", "/r/e");
        assertThat(sorted(SortTarget.KEY, SortOrder.ASCEND)).containsExactly("/r/a", "/r/b", "/r/c", "/r/d", "/r/e");
    }

    @Test
    void a_sort_with_a_limit_sorts_every_match_before_limiting() {
        RangeResponse top = kv.range(prefix("/r/").setSortTarget(SortTarget.MOD).setSortOrder(SortOrder.DESCEND)
                .setLimit(2));
        assertThat(keys(top)).containsExactly("/r/b", "/r/d");
        assertThat(top.getMore()).isTrue();
        assertThat(top.getCount()).isEqualTo(5);
    }

    @Test
    void with_no_order_but_a_non_key_target_etcd_sorts_only_the_first_limit_plus_one_keys() {
        // etcd reads limit+1 keys in key order (a, b, c) and sorts those by mod revision.
        RangeResponse response = kv.range(prefix("/r/").setSortTarget(SortTarget.MOD).setLimit(2));
        assertThat(keys(response)).containsExactly("/r/a", "/r/c");
        assertThat(response.getMore()).isTrue();
    }

    @Test
    void min_and_max_revision_filters_apply_before_the_limit_and_not_to_the_count() {
        RangeResponse recent = kv.range(prefix("/r/").setMinModRevision(6).setLimit(2));
        assertThat(keys(recent)).containsExactly("/r/b", "/r/d");
        assertThat(recent.getMore()).isTrue();
        assertThat(recent.getCount()).isEqualTo(5);

        assertThat(keys(kv.range(prefix("/r/").setMaxModRevision(4)))).containsExactly("/r/a", "/r/c");
        assertThat(keys(kv.range(prefix("/r/").setMinCreateRevision(4)))).containsExactly("/r/c", "/r/d", "/r/e");
        assertThat(keys(kv.range(prefix("/r/").setMaxCreateRevision(3)))).containsExactly("/r/a", "/r/b");
        RangeResponse window = kv.range(prefix("/r/").setMinCreateRevision(3).setMaxCreateRevision(5)
                .setMinModRevision(5).setMaxModRevision(9));
        assertThat(keys(window)).containsExactly("/r/d");
        assertThat(window.getMore()).isFalse();
    }

    @Test
    void filters_with_a_limit_that_keeps_everything_left_say_no_more() {
        RangeResponse response = kv.range(prefix("/r/").setMinModRevision(8).setLimit(2));
        assertThat(keys(response)).containsExactly("/r/b", "/r/d");
        assertThat(response.getMore()).isFalse();
    }

    @Test
    void a_range_without_a_key_is_refused_in_etcds_words() {
        assertThat(etcdError(() -> kv.range(RangeRequest.newBuilder()))).isEqualTo(EtcdError.EMPTY_KEY);
        assertThat(EtcdError.EMPTY_KEY.message()).isEqualTo("etcdserver: key is not provided");
        assertThat(EtcdError.EMPTY_KEY.code()).isEqualTo(io.grpc.Status.Code.INVALID_ARGUMENT);
    }

    private java.util.List<String> sorted(SortTarget target, SortOrder order) {
        return keys(kv.range(prefix("/r/").setSortTarget(target).setSortOrder(order)));
    }

    private static RangeRequest.Builder interval(String key, String end) {
        return RangeRequest.newBuilder().setKey(bytes(key)).setRangeEnd(ByteString.copyFromUtf8(end));
    }
}
