package dev.consensus.store.storage;

import java.util.Arrays;

/** Finding non-zero bytes fast: preallocated segments are mostly zeros, and recovery reads them all. */
final class Zeros {

    private static final byte[] ZEROS = new byte[8192];

    private Zeros() {}

    /** The first index in {@code [from, to)} holding a non-zero byte, or -1. */
    static int firstNonZero(byte[] data, int from, int to) {
        for (int at = from; at < to; at += ZEROS.length) {
            int len = Math.min(ZEROS.length, to - at);
            int i = Arrays.mismatch(data, at, at + len, ZEROS, 0, len);
            if (i >= 0) {
                return at + i;
            }
        }
        return -1;
    }

    /** The last index in {@code [from, to)} holding a non-zero byte, or -1. */
    static int lastNonZero(byte[] data, int from, int to) {
        for (int end = to; end > from; end -= ZEROS.length) {
            int start = Math.max(from, end - ZEROS.length);
            if (Arrays.mismatch(data, start, end, ZEROS, 0, end - start) >= 0) {
                for (int i = end - 1; i >= start; i--) {
                    if (data[i] != 0) {
                        return i;
                    }
                }
            }
        }
        return -1;
    }

    static boolean allZero(byte[] data, int from, int to) {
        return firstNonZero(data, from, to) < 0;
    }
}
