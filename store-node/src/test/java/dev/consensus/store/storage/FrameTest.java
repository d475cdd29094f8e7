package dev.consensus.store.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.consensus.store.raft.ConfChange;
import dev.consensus.store.raft.ConfChangeType;
import dev.consensus.store.raft.Entry;
import dev.consensus.store.raft.HardState;
import dev.consensus.store.storage.WalRecord.EntryRecord;
import dev.consensus.store.storage.WalRecord.HardStateRecord;
import dev.consensus.store.storage.WalRecord.SegmentHeader;
import dev.consensus.store.storage.WalRecord.SnapshotRecord;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The record frame and the record encodings: what every byte of a WAL segment means. */
class FrameTest {

    private static final List<WalRecord> ONE_OF_EACH = List.of(
            new SegmentHeader(RecordCodec.FORMAT_VERSION, 7, 42),
            new EntryRecord(Entry.normal(5, 3, new byte[] {1, 2, 3})),
            new EntryRecord(Entry.normal(6, 3, new byte[0])),
            new EntryRecord(Entry.confChange(7, 4, new ConfChange(ConfChangeType.ADD_LEARNER, 9))),
            new HardStateRecord(new HardState(4, 2, 6)),
            new SnapshotRecord(100, 3, false),
            new SnapshotRecord(200, 5, true));

    @Test
    void every_record_type_survives_encoding_and_decoding() {
        for (WalRecord record : ONE_OF_EACH) {
            byte[] frame = RecordCodec.frame(record);

            assertThat(Frame.validFrameBytes(frame, 0, frame.length)).isEqualTo(frame.length);
            assertThat(RecordCodec.decode(Frame.type(frame, 0), Frame.payload(frame, 0))).isEqualTo(record);
            assertThat(frame.length).isEqualTo(Frame.frameBytes(RecordCodec.payloadBytes(record)));
        }
    }

    @Test
    void a_frame_is_length_type_payload_checksum_header_checksum_payload_and_a_non_zero_trailer() {
        byte[] payload = {10, 20, 30};
        byte[] frame = Frame.encode(RecordCodec.ENTRY, payload);
        ByteBuffer buf = ByteBuffer.wrap(frame);

        assertThat(buf.getInt()).isEqualTo(3);
        assertThat(buf.get()).isEqualTo(RecordCodec.ENTRY);
        assertThat(buf.getInt()).isEqualTo(Frame.crc(payload, 0, 3));
        assertThat(buf.getInt()).isEqualTo(Frame.crc(frame, 0, 9));
        assertThat(frame).endsWith(10, 20, 30, Frame.TRAILER);
        assertThat(Integer.bitCount(Frame.TRAILER & 0xff)).as("one flipped bit never makes it zero").isGreaterThan(1);
    }

    @Test
    void every_single_bit_flip_in_a_frame_is_detected() {
        byte[] frame = RecordCodec.frame(new EntryRecord(Entry.normal(5, 3, new byte[] {1, 2, 3, 4})));
        for (int bit = 0; bit < frame.length * 8; bit++) {
            byte[] flipped = frame.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));

            assertThat(Frame.validFrameBytes(flipped, 0, flipped.length)).as("bit %d", bit).isEqualTo(-1);
        }
    }

    @Test
    void an_all_zero_header_is_never_a_valid_header() {
        assertThat(Frame.headerPayloadLength(new byte[64], 0, 64)).isEqualTo(-1);
        assertThat(Frame.validFrameBytes(new byte[64], 0, 64)).isEqualTo(-1);
    }

    @Test
    void a_frame_cut_short_is_not_valid_but_its_header_alone_is() {
        byte[] frame = RecordCodec.frame(new HardStateRecord(new HardState(1, 2, 3)));

        assertThat(Frame.validFrameBytes(frame, 0, frame.length - 1)).isEqualTo(-1);
        assertThat(Frame.headerPayloadLength(frame, 0, Frame.HEADER_BYTES)).isEqualTo(24);
        assertThat(Frame.headerPayloadLength(frame, 0, Frame.HEADER_BYTES - 1)).isEqualTo(-1);
    }

    @Test
    void payloads_of_another_format_are_refused_with_what_is_wrong() {
        assertThatThrownBy(() -> RecordCodec.decode((byte) 99, new byte[4]))
                .hasMessageContaining("unknown record type 99");
        assertThatThrownBy(() -> RecordCodec.decode(RecordCodec.HARD_STATE, new byte[23]))
                .hasMessageContaining("too short");
        assertThatThrownBy(() -> RecordCodec.decode(RecordCodec.HARD_STATE, new byte[25]))
                .hasMessageContaining("unexpected bytes");
        byte[] header = RecordCodec.payload(new SegmentHeader(RecordCodec.FORMAT_VERSION, 1, 1));
        header[5] = 9;
        assertThatThrownBy(() -> RecordCodec.decode(RecordCodec.SEGMENT_HEADER, header))
                .hasMessageContaining("format version 9 is not supported");
    }

    @Test
    void segment_names_sort_by_sequence_and_carry_the_first_index() {
        SegmentName name = new SegmentName(0x1a, 0x2b);

        assertThat(name.fileName()).isEqualTo("000000000000001a-000000000000002b.wal");
        assertThat(SegmentName.parse(name.fileName())).contains(name);
        assertThat(SegmentName.parse("0.tmp")).isEmpty();
        assertThat(SegmentName.parse("000000000000001a-000000000000002b.wal.broken")).isEmpty();
    }

    @Test
    void the_preamble_has_the_same_size_for_every_segment() {
        SegmentPreamble small = SegmentPreamble.of(new SegmentName(0, 1), SnapshotRecord.NONE, HardState.EMPTY);
        SegmentPreamble large = SegmentPreamble.of(new SegmentName(Long.MAX_VALUE, Long.MAX_VALUE),
                new SnapshotRecord(Long.MAX_VALUE, Long.MAX_VALUE, true), new HardState(Long.MAX_VALUE, 1, 2));

        assertThat(small.encode()).hasSize(SegmentPreamble.MAX_BYTES);
        assertThat(large.encode()).hasSize(SegmentPreamble.MAX_BYTES);
        assertThat(large.snapshot().replacesLog()).as("the copy that opens a segment never drops entries").isFalse();
    }
}
