package dev.consensus.store.mvcc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;

/**
 * The index keeps a key in two maps, ordered for ranges and hashed for single keys: a key that
 * leaves one must leave the other, or a key written again would be found by one and not the other.
 */
class TreeIndexTest {

    private static final ByteString A = ByteString.copyFromUtf8("a");
    private static final ByteString B = ByteString.copyFromUtf8("b");
    private static final KeyRange ALL = KeyRange.of(ByteString.copyFrom(new byte[] {0}), ByteString.copyFrom(new byte[] {0}));

    private final TreeIndex index = new TreeIndex();

    @Test
    void a_key_compacted_away_and_written_again_is_found_once_by_both_point_and_range_reads() {
        index.put(A, new Revision(2, 0));
        index.tombstone(A, new Revision(3, 0));
        index.put(B, new Revision(4, 0));
        index.compact(3);
        assertThat(index.get(A, 4)).isNull();
        assertThat(index.range(ALL, 4, 0).revisions()).containsExactly(new Revision(4, 0));

        index.put(A, new Revision(5, 0));

        assertThat(index.get(A, 5).modified()).isEqualTo(new Revision(5, 0));
        assertThat(index.get(A, 5).created()).isEqualTo(new Revision(5, 0));
        assertThat(index.range(ALL, 5, 0).revisions()).containsExactly(new Revision(5, 0), new Revision(4, 0));
        assertThat(index.range(KeyRange.of(A, ByteString.EMPTY), 5, 0).revisions()).containsExactly(new Revision(5, 0));
    }

    @Test
    void an_undone_first_write_forgets_the_key_in_both_maps() {
        index.put(A, new Revision(2, 0));
        index.undoPut(A);
        assertThat(index.get(A, 2)).isNull();
        assertThat(index.count(ALL, 2)).isZero();

        index.put(A, new Revision(3, 0));

        assertThat(index.get(A, 3).version()).isEqualTo(1);
        assertThat(index.count(ALL, 3)).isEqualTo(1);
    }

    @Test
    void a_single_key_read_finds_a_key_given_as_another_instance_of_the_same_bytes() {
        index.put(ByteString.copyFrom(new byte[] {(byte) 0xff, 1}), new Revision(2, 0));

        assertThat(index.get(ByteString.copyFrom(new byte[] {(byte) 0xff, 1}), 2)).isNotNull();
        assertThat(index.liveKeys(ALL, 2)).containsExactly(ByteString.copyFrom(new byte[] {(byte) 0xff, 1}));
    }
}
