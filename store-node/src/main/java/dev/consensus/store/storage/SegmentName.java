package dev.consensus.store.storage;

import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A segment's file name, {@code %016x-%016x.wal}: its sequence number, then the index of the
 * first entry it may hold (one past the last entry written before it). Sorting names sorts
 * segments, as with etcd's WAL.
 */
record SegmentName(long sequence, long firstIndex) {

    private static final Pattern PATTERN = Pattern.compile("([0-9a-f]{16})-([0-9a-f]{16})\\.wal");

    String fileName() {
        return HexFormat.of().toHexDigits(sequence) + "-" + HexFormat.of().toHexDigits(firstIndex) + ".wal";
    }

    static Optional<SegmentName> parse(String fileName) {
        Matcher m = PATTERN.matcher(fileName);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new SegmentName(Long.parseUnsignedLong(m.group(1), 16), Long.parseUnsignedLong(m.group(2), 16)));
    }
}
