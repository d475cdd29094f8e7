package dev.consensus.store.storage;

import dev.consensus.store.raft.Entry;
import dev.consensus.store.raft.EntryType;
import dev.consensus.store.raft.HardState;
import dev.consensus.store.storage.WalRecord.EntryRecord;
import dev.consensus.store.storage.WalRecord.HardStateRecord;
import dev.consensus.store.storage.WalRecord.SegmentHeader;
import dev.consensus.store.storage.WalRecord.SnapshotRecord;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;

/**
 * Turns {@link WalRecord}s into payloads and frames and back. Type codes and field layouts are
 * the on-disk format (docs/storage.md); they change only with {@link #FORMAT_VERSION}.
 */
final class RecordCodec {

    static final int FORMAT_VERSION = 1;
    static final int SEGMENT_MAGIC = 0x5357414C; // "SWAL"

    static final byte SEGMENT_HEADER = 1;
    static final byte ENTRY = 2;
    static final byte HARD_STATE = 3;
    static final byte SNAPSHOT = 4;

    /** Bytes of an entry record's payload before the entry's data. */
    static final int ENTRY_OVERHEAD = 17;

    private RecordCodec() {}

    static byte[] frame(WalRecord record) {
        return Frame.encode(type(record), payload(record));
    }

    /** The payload size {@code record} will have, to check limits before encoding. */
    static int payloadBytes(WalRecord record) {
        return switch (record) {
            case EntryRecord e -> ENTRY_OVERHEAD + e.entry().data().length;
            case HardStateRecord h -> 24;
            case SnapshotRecord s -> 17;
            case SegmentHeader h -> 22;
        };
    }

    static byte type(WalRecord record) {
        return switch (record) {
            case SegmentHeader h -> SEGMENT_HEADER;
            case EntryRecord e -> ENTRY;
            case HardStateRecord h -> HARD_STATE;
            case SnapshotRecord s -> SNAPSHOT;
        };
    }

    static byte[] payload(WalRecord record) {
        ByteBuffer buf = ByteBuffer.allocate(payloadBytes(record));
        switch (record) {
            case EntryRecord(Entry e) -> buf.putLong(e.index()).putLong(e.term()).put(entryType(e.type())).put(e.data());
            case HardStateRecord(HardState h) -> buf.putLong(h.term()).putLong(h.vote()).putLong(h.commit());
            case SnapshotRecord s -> buf.putLong(s.index()).putLong(s.term()).put((byte) (s.replacesLog() ? 1 : 0));
            case SegmentHeader h -> buf.putInt(SEGMENT_MAGIC).putShort((short) h.version()).putLong(h.sequence())
                    .putLong(h.firstIndex());
        }
        return buf.array();
    }

    /**
     * Decodes a payload whose checksums held.
     *
     * @throws IllegalArgumentException when the bytes do not form a record of this format
     *     (an unknown type or a wrong length: written by another version, or by a bug)
     */
    static WalRecord decode(byte type, byte[] payload) {
        ByteBuffer buf = ByteBuffer.wrap(payload);
        try {
            WalRecord record = switch (type) {
                case ENTRY -> new EntryRecord(new Entry(buf.getLong(), buf.getLong(), entryType(buf.get()), rest(buf)));
                case HARD_STATE -> new HardStateRecord(new HardState(buf.getLong(), buf.getLong(), buf.getLong()));
                case SNAPSHOT -> new SnapshotRecord(buf.getLong(), buf.getLong(), flag(buf.get()));
                case SEGMENT_HEADER -> segmentHeader(buf);
                default -> throw new IllegalArgumentException("unknown record type " + type
                        + " (written by a newer version?)");
            };
            if (buf.hasRemaining()) {
                throw new IllegalArgumentException(buf.remaining() + " unexpected bytes after a record of type " + type);
            }
            return record;
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("record of type " + type + " is too short: " + payload.length + " bytes", e);
        }
    }

    private static SegmentHeader segmentHeader(ByteBuffer buf) {
        int magic = buf.getInt();
        if (magic != SEGMENT_MAGIC) {
            throw new IllegalArgumentException("segment header has magic " + Integer.toHexString(magic) + ", not "
                    + Integer.toHexString(SEGMENT_MAGIC));
        }
        int version = buf.getShort();
        if (version != FORMAT_VERSION) {
            throw new IllegalArgumentException("segment format version " + version + " is not supported (this build reads "
                    + FORMAT_VERSION + ")");
        }
        return new SegmentHeader(version, buf.getLong(), buf.getLong());
    }

    private static byte[] rest(ByteBuffer buf) {
        byte[] data = new byte[buf.remaining()];
        buf.get(data);
        return data;
    }

    private static boolean flag(byte b) {
        if (b != 0 && b != 1) {
            throw new IllegalArgumentException("snapshot marker flag must be 0 or 1, got " + b);
        }
        return b == 1;
    }

    private static byte entryType(EntryType type) {
        return switch (type) {
            case NORMAL -> 0;
            case CONF_CHANGE -> 1;
        };
    }

    private static EntryType entryType(byte code) {
        return switch (code) {
            case 0 -> EntryType.NORMAL;
            case 1 -> EntryType.CONF_CHANGE;
            default -> throw new IllegalArgumentException("unknown entry type " + code);
        };
    }
}
