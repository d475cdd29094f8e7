package dev.consensus.store.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The encoding of a single-member change (thesis 4.1) carried in a log entry: every node must
 * decode the same change from the same bytes, and bytes that are not a change must be refused
 * rather than guessed at.
 */
class ConfChangeTest {

    @Test
    void every_change_type_survives_an_encode_decode_round_trip() {
        long[] ids = {1, 2, 0xABCDEF, Long.MAX_VALUE, -1, Long.MIN_VALUE};
        for (ConfChangeType type : ConfChangeType.values()) {
            for (long id : ids) {
                ConfChange change = new ConfChange(type, id);
                assertThat(ConfChange.decode(change.encode())).as("%s %d", type, id).isEqualTo(change);
            }
        }
    }

    @Test
    void the_encoding_is_nine_bytes_type_then_member_id() {
        byte[] bytes = new ConfChange(ConfChangeType.REMOVE_MEMBER, 0x0102030405060708L).encode();

        assertThat(bytes).containsExactly(3, 1, 2, 3, 4, 5, 6, 7, 8);
    }

    @Test
    void bytes_too_short_for_a_change_are_rejected() {
        byte[] good = new ConfChange(ConfChangeType.ADD_VOTER, 7).encode();

        assertThatThrownBy(() -> ConfChange.decode(new byte[0])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("malformed");
        assertThatThrownBy(() -> ConfChange.decode(Arrays.copyOf(good, 8)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bytes_after_the_change_are_the_servers_context_and_do_not_change_the_change() {
        ConfChange change = new ConfChange(ConfChangeType.ADD_LEARNER, 7);
        byte[] withContext = change.encode(new byte[] {42, 43});

        assertThat(ConfChange.decode(withContext)).isEqualTo(change);
        assertThat(ConfChange.context(withContext)).containsExactly(42, 43);
        assertThat(ConfChange.context(change.encode())).isEmpty();
    }

    @Test
    void an_unknown_type_byte_is_rejected() {
        byte[] tooLarge = new ConfChange(ConfChangeType.ADD_VOTER, 7).encode();
        tooLarge[0] = (byte) ConfChangeType.values().length;
        byte[] negative = new ConfChange(ConfChangeType.ADD_VOTER, 7).encode();
        negative[0] = -1;

        assertThatThrownBy(() -> ConfChange.decode(tooLarge)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConfChange.decode(negative)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_change_for_member_zero_is_rejected_whether_built_or_decoded() {
        byte[] zeroId = new byte[9];

        assertThatThrownBy(() -> new ConfChange(ConfChangeType.ADD_VOTER, RaftNode.NONE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConfChange.decode(zeroId)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_change_without_a_type_is_rejected() {
        assertThatThrownBy(() -> new ConfChange(null, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_change_entry_carries_the_encoded_change() {
        ConfChange change = new ConfChange(ConfChangeType.ADD_LEARNER, 4);

        Entry entry = Entry.confChange(7, 2, change);

        assertThat(entry.type()).isEqualTo(EntryType.CONF_CHANGE);
        assertThat(ConfChange.decode(entry.data())).isEqualTo(change);
    }
}
