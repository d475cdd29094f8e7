package dev.consensus.store.mvcc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.util.Comparator;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KeyOrderTest {

    private static final Comparator<ByteString> REFERENCE = ByteString.unsignedLexicographicalComparator();

    private static ByteString bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return ByteString.copyFrom(b);
    }

    @Test
    void bytesCompareUnsigned() {
        assertThat(KeyOrder.INSTANCE.compare(bytes(0x7f), bytes(0x80))).isNegative();
        assertThat(KeyOrder.INSTANCE.compare(bytes(0xff), bytes(0x00))).isPositive();
        assertThat(KeyOrder.INSTANCE.compare(bytes(1, 2, 0xff), bytes(1, 2, 3))).isPositive();
    }

    @Test
    void aPrefixSortsFirstAndEqualKeysAreEqual() {
        assertThat(KeyOrder.INSTANCE.compare(ByteString.EMPTY, bytes(0))).isNegative();
        assertThat(KeyOrder.INSTANCE.compare(ByteString.copyFromUtf8("foo"), ByteString.copyFromUtf8("foo1")))
                .isNegative();
        assertThat(KeyOrder.INSTANCE.compare(ByteString.copyFromUtf8("foo1"), ByteString.copyFromUtf8("foo")))
                .isPositive();
        assertThat(KeyOrder.INSTANCE.compare(ByteString.copyFromUtf8("foo"), ByteString.copyFromUtf8("foo"))).isZero();
        assertThat(KeyOrder.INSTANCE.compare(ByteString.EMPTY, ByteString.EMPTY)).isZero();
    }

    /** Keys that are slices of larger arrays (what a parsed request holds) compare by their own bytes only. */
    @Test
    void agreesWithProtobufsComparatorOnRandomKeysAndSlices() {
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            ByteString a = randomKey(random);
            ByteString b = random.nextInt(4) == 0 ? a.concat(randomKey(random)) : randomKey(random);
            if (random.nextBoolean() && a.size() > 2) {
                a = a.substring(1, a.size() - 1);
            }
            if (random.nextBoolean() && b.size() > 2) {
                b = b.substring(1);
            }
            assertThat(Integer.signum(KeyOrder.INSTANCE.compare(a, b)))
                    .as("%s vs %s", a, b)
                    .isEqualTo(Integer.signum(REFERENCE.compare(a, b)));
        }
    }

    private static ByteString randomKey(Random random) {
        byte[] b = new byte[random.nextInt(40)];
        random.nextBytes(b);
        // Few distinct bytes, so that long common prefixes are frequent.
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (b[i] & 0x81);
        }
        return ByteString.copyFrom(b);
    }
}
