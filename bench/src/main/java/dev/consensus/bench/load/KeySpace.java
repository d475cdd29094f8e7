package dev.consensus.bench.load;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The keys of one run, {@code <prefix><8 digits>}, built once so that the client spends its time
 * on requests rather than on formatting keys; keys are drawn uniformly at random.
 */
final class KeySpace {

    private final ByteString prefix;
    private final ByteString[] keys;

    KeySpace(String prefix, int size) {
        this.prefix = ByteString.copyFromUtf8(prefix);
        this.keys = new ByteString[size];
        for (int i = 0; i < size; i++) {
            keys[i] = ByteString.copyFrom(String.format("%s%08d", prefix, i), StandardCharsets.UTF_8);
        }
    }

    int size() {
        return keys.length;
    }

    ByteString key(int index) {
        return keys[index];
    }

    ByteString randomKey() {
        return keys[ThreadLocalRandom.current().nextInt(keys.length)];
    }

    ByteString prefix() {
        return prefix;
    }

    /** The range end covering every key with the prefix, as etcd computes it (last byte + 1). */
    ByteString prefixEnd() {
        byte[] end = prefix.toByteArray();
        for (int i = end.length - 1; i >= 0; i--) {
            if (end[i] != (byte) 0xff) {
                end[i]++;
                return ByteString.copyFrom(end, 0, i + 1);
            }
        }
        return ByteString.copyFrom(new byte[] {0});
    }

    /** A value of random bytes, the same for the whole run, so values do not compress away. */
    static ByteString value(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return ByteString.copyFrom(bytes);
    }
}
