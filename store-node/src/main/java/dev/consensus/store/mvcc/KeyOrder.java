package dev.consensus.store.mvcc;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.util.Comparator;

/**
 * Keys compared as unsigned bytes, as etcd orders them. Protobuf's own comparator walks both keys
 * through a byte iterator, one virtual call per byte; every put and get descends the index with
 * about log2(keys) comparisons, and in a profile of a put load that walk was more than half of the
 * apply thread's time. This one finds the first differing byte with {@link ByteBuffer#mismatch},
 * which the JDK compares many bytes at a time, over views that share the keys' bytes.
 */
final class KeyOrder implements Comparator<ByteString> {

    static final KeyOrder INSTANCE = new KeyOrder();

    private KeyOrder() {
    }

    @Override
    public int compare(ByteString a, ByteString b) {
        ByteBuffer x = a.asReadOnlyByteBuffer();
        ByteBuffer y = b.asReadOnlyByteBuffer();
        int at = x.mismatch(y);
        if (at < 0) {
            return 0;
        }
        if (at == x.remaining() || at == y.remaining()) {
            // One is a prefix of the other: the shorter sorts first.
            return Integer.compare(x.remaining(), y.remaining());
        }
        return Integer.compare(Byte.toUnsignedInt(x.get(x.position() + at)),
                Byte.toUnsignedInt(y.get(y.position() + at)));
    }
}
