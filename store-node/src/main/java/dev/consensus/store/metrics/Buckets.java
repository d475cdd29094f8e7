package dev.consensus.store.metrics;

import java.util.Arrays;

/**
 * Upper bounds of histogram buckets, checked: finite and strictly increasing. The {@code +Inf}
 * bucket is implicit and never listed.
 */
public final class Buckets {

    private Buckets() {
    }

    /**
     * {@code count} bounds starting at {@code start}, each {@code factor} times the one before:
     * the shape etcd uses for its disk latencies (1 ms doubling up to 8.192 s is
     * {@code exponential(0.001, 2, 14)}).
     */
    public static double[] exponential(double start, double factor, int count) {
        if (!(start > 0) || !(factor > 1) || count < 1 || Double.isInfinite(start) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("exponential buckets need start > 0, factor > 1 and count >= 1"
                    + " (got start " + start + ", factor " + factor + ", count " + count + ")");
        }
        double[] bounds = new double[count];
        double bound = start;
        for (int i = 0; i < count; i++) {
            bounds[i] = bound;
            bound *= factor;
        }
        return check(bounds);
    }

    /** A copy of {@code bounds} after checking they are non-empty, finite and strictly increasing. */
    public static double[] check(double[] bounds) {
        if (bounds.length == 0) {
            throw new IllegalArgumentException("a histogram needs at least one finite bucket bound");
        }
        for (int i = 0; i < bounds.length; i++) {
            if (!Double.isFinite(bounds[i])) {
                throw new IllegalArgumentException("bucket bounds must be finite (+Inf is implicit): "
                        + Arrays.toString(bounds));
            }
            if (i > 0 && !(bounds[i] > bounds[i - 1])) {
                throw new IllegalArgumentException("bucket bounds must be strictly increasing: "
                        + Arrays.toString(bounds));
            }
        }
        return bounds.clone();
    }
}
