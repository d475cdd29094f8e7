package dev.consensus.store.mvcc.model;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.Random;

/**
 * The small key space the generator writes to: twelve keys sharing prefixes, so prefixes and
 * intervals hit several at once, with bytes above 0x7f so that unsigned ordering matters. Never
 * more than twelve keys exist, which keeps every sort within the 12 elements Go sorts stably
 * (see {@link ModelRange}); reads and range boundaries also use keys that are never written.
 */
final class KeySpace {

    private static final byte HIGH = (byte) 0xff;

    /** The only keys ever written. */
    static final List<ByteString> KEYS = List.of(
            text("a"), text("a/1"), text("a/2"), text("a/2/x"), text("aa"), text("ab"),
            text("b"), text("b/1"), bytes('b', '/', HIGH), text("b0"), text("c"), bytes(HIGH));

    /** Keys never written, used as range boundaries and as reads of missing keys. */
    static final List<ByteString> FRINGE = List.of(
            text("a/0"), text("a/3"), text("bz"), text("d"), bytes(0), bytes(HIGH, HIGH));

    static final List<ByteString> PREFIXES = List.of(
            text("a"), text("a/"), text("a/2"), text("b"), text("b/"), text("c"), bytes(HIGH), text("e"));

    static final List<ByteString> VALUES = List.of(
            text("v0"), text("v1"), text("v2"), text("v3"), ByteString.EMPTY, text("x"), bytes('v', HIGH));

    private final Random random;

    KeySpace(Random random) {
        this.random = random;
    }

    /** A key to read or delete: now and then one that is never written. */
    ByteString key() {
        return random.nextInt(10) == 0 ? pick(FRINGE) : pick(KEYS);
    }

    /** A key to put. */
    ByteString writeKey() {
        return pick(KEYS);
    }

    ByteString value() {
        return pick(VALUES);
    }

    /** A key and range end: one key, a prefix, an interval (sometimes inverted) or from a key on. */
    KeySpan span() {
        int kind = random.nextInt(100);
        if (kind < 45) {
            return new KeySpan(key(), ByteString.EMPTY);
        }
        if (kind < 70) {
            ByteString prefix = pick(PREFIXES);
            return new KeySpan(prefix, prefixEnd(prefix));
        }
        if (kind < 85) {
            return new KeySpan(boundary(), boundary());
        }
        ByteString from = random.nextInt(5) == 0 ? bytes(0) : boundary();
        return new KeySpan(from, KeySpan.FROM_KEY);
    }

    private ByteString boundary() {
        return random.nextBoolean() ? pick(KEYS) : pick(FRINGE);
    }

    <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }

    /** etcd's prefix end (clientv3.GetPrefixRangeEnd): all 0xff bytes mean every key from here on. */
    static ByteString prefixEnd(ByteString prefix) {
        byte[] end = prefix.toByteArray();
        for (int i = end.length - 1; i >= 0; i--) {
            if (end[i] != HIGH) {
                end[i]++;
                return ByteString.copyFrom(end, 0, i + 1);
            }
        }
        return KeySpan.FROM_KEY;
    }

    static ByteString text(String text) {
        return ByteString.copyFromUtf8(text);
    }

    static ByteString bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return ByteString.copyFrom(out);
    }
}
