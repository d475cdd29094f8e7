package dev.consensus.bench.cluster;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Samples each member's resident memory on a background thread while the loads run, keeping the
 * peak per member: the figure that decides how much memory a member needs. A member that is not
 * running when sampled is skipped.
 */
final class RssSampler implements AutoCloseable {

    /** Marks a member for which no sample was taken. */
    static final long NONE = -1;

    private static final Duration JOIN_LIMIT = Duration.ofSeconds(2);

    private final List<MemberProcess> members;
    private final long intervalNanos;
    private final AtomicLongArray peaks;
    private final Thread thread;
    private volatile boolean stopped;

    private RssSampler(List<MemberProcess> members, Duration interval) {
        this.members = List.copyOf(members);
        this.intervalNanos = interval.toNanos();
        this.peaks = new AtomicLongArray(members.size());
        for (int i = 0; i < members.size(); i++) {
            peaks.set(i, NONE);
        }
        this.thread = new Thread(this::loop, "rss-sampler");
        thread.setDaemon(true);
    }

    static RssSampler start(List<MemberProcess> members, Duration interval) {
        RssSampler sampler = new RssSampler(members, interval);
        sampler.thread.start();
        return sampler;
    }

    private void loop() {
        while (!stopped) {
            sampleInto(peaks);
            LockSupport.parkNanos(intervalNanos);
        }
    }

    private void sampleInto(AtomicLongArray into) {
        for (int i = 0; i < members.size(); i++) {
            OptionalLong rss = members.get(i).rssKib();
            if (rss.isPresent()) {
                into.accumulateAndGet(i, rss.getAsLong(), Math::max);
            }
        }
    }

    /** The peak seen so far per member, in KiB, or {@link #NONE}. */
    long[] peaksKib() {
        sampleInto(peaks);
        long[] copy = new long[peaks.length()];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = peaks.get(i);
        }
        return copy;
    }

    /** One sample of every member now, in KiB, or {@link #NONE} for a member not running. */
    static long[] sampleNow(List<MemberProcess> members) {
        long[] now = new long[members.size()];
        for (int i = 0; i < now.length; i++) {
            now[i] = members.get(i).rssKib().orElse(NONE);
        }
        return now;
    }

    @Override
    public void close() {
        stopped = true;
        LockSupport.unpark(thread);
        try {
            thread.join(JOIN_LIMIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
