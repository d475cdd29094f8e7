package dev.consensus.store.mvcc.model;

import com.google.protobuf.ByteString;
import java.util.Comparator;

/**
 * The keys a request's {@code key} and {@code range_end} name, as etcd reads them: no range end
 * is the one key; a range end of a single zero byte is every key from {@code key} on; anything
 * else is {@code [key, range_end)}, empty when {@code range_end <= key}. Keys compare as unsigned
 * bytes.
 */
record KeySpan(ByteString key, ByteString end) {

    static final Comparator<ByteString> ORDER = ByteString.unsignedLexicographicalComparator();

    static final ByteString FROM_KEY = ByteString.copyFrom(new byte[] {0});

    boolean contains(ByteString candidate) {
        if (end.isEmpty()) {
            return key.equals(candidate);
        }
        if (end.equals(FROM_KEY)) {
            return ORDER.compare(key, candidate) <= 0;
        }
        return ORDER.compare(key, candidate) <= 0 && ORDER.compare(candidate, end) < 0;
    }
}
