package dev.consensus.store.storage;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The on-disk frame around every WAL record:
 * <pre>
 *   offset 0   int    payload length
 *   offset 4   byte   record type
 *   offset 5   int    CRC32C of the payload
 *   offset 9   int    CRC32C of bytes 0..8 (length, type, payload CRC)
 *   offset 13  bytes  payload
 *   then       byte   0xA5, the trailer
 * </pre>
 * The header checksum makes a damaged length detectable before it is trusted. The trailer is
 * never zero and has four bits set, so one flipped bit never turns it into zero: under the
 * fault model where bytes reach the disk as a prefix, a non-zero trailer proves that the whole
 * frame was written, which is how recovery tells a torn write from a damaged record.
 * Integers are big-endian.
 */
final class Frame {

    static final int HEADER_BYTES = 13;
    static final byte TRAILER = (byte) 0xA5;
    private static final int CHECKED_HEADER_BYTES = 9;

    private Frame() {}

    static int frameBytes(int payloadLength) {
        return HEADER_BYTES + payloadLength + 1;
    }

    static byte[] encode(byte type, byte[] payload) {
        ByteBuffer buf = ByteBuffer.allocate(frameBytes(payload.length));
        buf.putInt(payload.length).put(type).putInt(crc(payload, 0, payload.length));
        buf.putInt(crc(buf.array(), 0, CHECKED_HEADER_BYTES));
        buf.put(payload).put(TRAILER);
        return buf.array();
    }

    /**
     * The payload length of the header at {@code pos} when its checksum holds, else -1. The
     * length may still point past {@code limit}; callers check.
     */
    static int headerPayloadLength(byte[] buf, int pos, int limit) {
        if (pos < 0 || limit - pos < HEADER_BYTES) {
            return -1;
        }
        ByteBuffer header = ByteBuffer.wrap(buf, pos, HEADER_BYTES);
        int length = header.getInt();
        header.position(pos + CHECKED_HEADER_BYTES);
        if (header.getInt() != crc(buf, pos, CHECKED_HEADER_BYTES) || length < 0) {
            return -1;
        }
        return length;
    }

    /** The byte length of the complete, intact frame at {@code pos}, or -1 when there is none. */
    static int validFrameBytes(byte[] buf, int pos, int limit) {
        int length = headerPayloadLength(buf, pos, limit);
        if (length < 0 || (long) limit - pos < frameBytes(length)) {
            return -1;
        }
        int trailerAt = pos + HEADER_BYTES + length;
        if (buf[trailerAt] != TRAILER || payloadCrc(buf, pos) != crc(buf, pos + HEADER_BYTES, length)) {
            return -1;
        }
        return frameBytes(length);
    }

    static byte type(byte[] buf, int pos) {
        return buf[pos + 4];
    }

    static byte[] payload(byte[] buf, int pos) {
        int length = ByteBuffer.wrap(buf, pos, 4).getInt();
        byte[] payload = new byte[length];
        System.arraycopy(buf, pos + HEADER_BYTES, payload, 0, length);
        return payload;
    }

    private static int payloadCrc(byte[] buf, int pos) {
        return ByteBuffer.wrap(buf, pos + 5, 4).getInt();
    }

    static int crc(byte[] buf, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(buf, offset, length);
        return (int) crc.getValue();
    }
}
