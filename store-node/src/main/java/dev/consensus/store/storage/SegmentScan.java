package dev.consensus.store.storage;

import dev.consensus.store.storage.WalRecord.EntryRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What reading one segment found: its intact records, the offset {@code end} where they stop,
 * what lies from there on, and whether an intact frame appears anywhere after {@code end}.
 * Reading decides nothing about the log as a whole; {@link WalReader} does, from every
 * segment's scan.
 */
record SegmentScan(Path file, List<WalRecord> records, long maxEntryIndex, int end, Tail tail, int nextValidFrame) {

    /** What follows the last intact record. */
    sealed interface Tail {

        /**
         * Zeros: the end of the written data. Non-zero bytes may remain up to {@code strayEnd} (a
         * flipped bit in the unused space); they cannot be a record.
         */
        record Clean(int strayEnd) implements Tail {}

        /**
         * The start of a record cut short, running to {@code tornEnd}, then only zeros: what a
         * crash leaves when unsynced bytes reached the disk as a prefix.
         */
        record Torn(int tornEnd) implements Tail {}

        /** Bytes no torn write can leave: a record whose bytes changed. */
        record Damaged(String reason) implements Tail {}
    }

    /**
     * Reads {@code data}, the whole content of {@code file}.
     *
     * @throws StorageCorruptionException when an intact frame does not decode as a record
     */
    static SegmentScan of(Path file, byte[] data) throws StorageCorruptionException {
        List<WalRecord> records = new ArrayList<>();
        long maxEntryIndex = 0;
        int pos = 0;
        for (int n; (n = Frame.validFrameBytes(data, pos, data.length)) > 0; pos += n) {
            WalRecord record;
            try {
                record = RecordCodec.decode(Frame.type(data, pos), Frame.payload(data, pos));
            } catch (IllegalArgumentException e) {
                throw new StorageCorruptionException(file, pos, "an intact record does not decode: " + e.getMessage());
            }
            if (record instanceof EntryRecord(var entry)) {
                maxEntryIndex = Math.max(maxEntryIndex, entry.index());
            }
            records.add(record);
        }
        return new SegmentScan(file, List.copyOf(records), maxEntryIndex, pos, tail(data, pos), nextValidFrame(data, pos + 1));
    }

    private static Tail tail(byte[] data, int end) {
        int len = data.length;
        int headerEnd = Math.min(len, end + Frame.HEADER_BYTES);
        if (Zeros.allZero(data, end, headerEnd)) {
            int stray = Zeros.lastNonZero(data, end, len);
            return new Tail.Clean(stray < 0 ? end : stray + 1);
        }
        int payload = Frame.headerPayloadLength(data, end, len);
        if (payload < 0) {
            int after = Zeros.firstNonZero(data, headerEnd, len);
            if (after >= 0) {
                return new Tail.Damaged("a record header whose checksum does not match, with data after it at offset "
                        + after);
            }
            return new Tail.Torn(Zeros.lastNonZero(data, end, headerEnd) + 1);
        }
        long trailerAt = (long) end + Frame.HEADER_BYTES + payload;
        if (trailerAt >= len) {
            return new Tail.Damaged("an intact record header claims " + payload + " bytes, past the end of the segment");
        }
        int trailer = (int) trailerAt;
        if (data[trailer] != 0) {
            return new Tail.Damaged("a complete record (its trailer byte is present) whose "
                    + (data[trailer] != Frame.TRAILER ? "trailer byte is wrong" : "payload checksum does not match"));
        }
        int after = Zeros.firstNonZero(data, trailer + 1, len);
        if (after >= 0) {
            return new Tail.Damaged("an incomplete record followed by data at offset " + after);
        }
        return new Tail.Torn(Zeros.lastNonZero(data, end, trailer) + 1);
    }

    /**
     * The offset of the first intact frame at or after {@code from}, or -1. A frame's header has
     * a non-zero byte (an all-zero header never checks out), so only offsets within a header's
     * length before each non-zero byte need a checksum; runs of zeros are skipped fast.
     */
    static int nextValidFrame(byte[] data, int from) {
        int p = from;
        while (p < data.length) {
            int nonZero = Zeros.firstNonZero(data, p, data.length);
            if (nonZero < 0) {
                return -1;
            }
            for (int start = Math.max(p, nonZero - Frame.HEADER_BYTES + 1); start <= nonZero; start++) {
                if (Frame.validFrameBytes(data, start, data.length) > 0) {
                    return start;
                }
            }
            p = nonZero + 1;
        }
        return -1;
    }
}
