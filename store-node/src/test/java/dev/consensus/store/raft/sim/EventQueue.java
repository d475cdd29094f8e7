package dev.consensus.store.raft.sim;

import java.util.PriorityQueue;

/**
 * Virtual time: actions run in time order, ties in the order they were scheduled, so a run is
 * fully decided by its seed.
 */
final class EventQueue {

    private record Scheduled(long timeMs, long sequence, Runnable action) implements Comparable<Scheduled> {
        @Override
        public int compareTo(Scheduled o) {
            int byTime = Long.compare(timeMs, o.timeMs);
            return byTime != 0 ? byTime : Long.compare(sequence, o.sequence);
        }
    }

    private final PriorityQueue<Scheduled> queue = new PriorityQueue<>();
    private long now;
    private long sequence;
    private long executed;

    long now() {
        return now;
    }

    long executed() {
        return executed;
    }

    void at(long timeMs, Runnable action) {
        queue.add(new Scheduled(Math.max(timeMs, now), sequence++, action));
    }

    void after(long delayMs, Runnable action) {
        at(now + delayMs, action);
    }

    /** Runs everything due up to {@code untilMs}, then leaves the clock there. */
    void runUntil(long untilMs) {
        while (!queue.isEmpty() && queue.peek().timeMs() <= untilMs) {
            Scheduled next = queue.poll();
            now = next.timeMs();
            executed++;
            next.action().run();
        }
        now = Math.max(now, untilMs);
    }
}
