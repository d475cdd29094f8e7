package dev.consensus.store.mvcc;

import com.google.protobuf.ByteString;
import java.util.Comparator;

/**
 * The keys a request names, in etcd's encoding: an empty range end means the single key, a range
 * end of one zero byte means every key from {@code key} on, anything else the half-open interval
 * {@code [key, end)} (empty when {@code end <= key}). Keys compare as unsigned bytes.
 */
record KeyRange(ByteString key, ByteString end, Kind kind) {

    enum Kind { SINGLE, FROM_KEY, INTERVAL }

    static final Comparator<ByteString> ORDER = KeyOrder.INSTANCE;
    private static final ByteString ZERO_BYTE = ByteString.copyFrom(new byte[] {0});

    static KeyRange of(ByteString key, ByteString rangeEnd) {
        if (rangeEnd.isEmpty()) {
            return new KeyRange(key, ByteString.EMPTY, Kind.SINGLE);
        }
        if (rangeEnd.equals(ZERO_BYTE)) {
            return new KeyRange(key, ByteString.EMPTY, Kind.FROM_KEY);
        }
        return new KeyRange(key, rangeEnd, Kind.INTERVAL);
    }

    boolean contains(ByteString candidate) {
        return switch (kind) {
            case SINGLE -> key.equals(candidate);
            case FROM_KEY -> ORDER.compare(key, candidate) <= 0;
            case INTERVAL -> ORDER.compare(key, candidate) <= 0 && ORDER.compare(candidate, end) < 0;
        };
    }

    /** True when no key can fall in this range. */
    boolean isEmpty() {
        return kind == Kind.INTERVAL && ORDER.compare(key, end) >= 0;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case SINGLE -> key.toStringUtf8();
            case FROM_KEY -> "[" + key.toStringUtf8() + ", +inf)";
            case INTERVAL -> "[" + key.toStringUtf8() + ", " + end.toStringUtf8() + ")";
        };
    }
}
