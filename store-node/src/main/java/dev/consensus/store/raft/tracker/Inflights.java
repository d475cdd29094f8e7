package dev.consensus.store.raft.tracker;

import java.util.ArrayDeque;

/**
 * Flow control for one member: the appends sent and not yet acknowledged, each remembered by the
 * last index it carried and its size. Sending stops when either the count or the bytes in flight
 * reach their bound, so a slow member gets at most a window of data, not the whole log.
 *
 * <p>Invariant: last indexes are strictly increasing from head to tail; {@code bytes} is the sum
 * of the sizes held.
 */
public final class Inflights {

    private record Sent(long lastIndex, long bytes) {}

    private final int maxMessages;
    private final long maxBytes;
    private final ArrayDeque<Sent> sent = new ArrayDeque<>();
    private long bytes;

    public Inflights(int maxMessages, long maxBytes) {
        if (maxMessages < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("in-flight bounds must be positive");
        }
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
    }

    public void add(long lastIndex, long size) {
        if (isFull()) {
            throw new IllegalStateException("cannot add to a full in-flight window");
        }
        if (!sent.isEmpty() && sent.peekLast().lastIndex() >= lastIndex) {
            throw new IllegalStateException("in-flight index " + lastIndex + " is not past "
                    + sent.peekLast().lastIndex());
        }
        sent.addLast(new Sent(lastIndex, size));
        bytes += size;
    }

    /** The member acknowledged everything up to {@code index}: those appends are no longer in flight. */
    public void freeTo(long index) {
        while (!sent.isEmpty() && sent.peekFirst().lastIndex() <= index) {
            bytes -= sent.removeFirst().bytes();
        }
    }

    /** Forgets the oldest append in flight, making room for one more. */
    public void freeFirst() {
        if (!sent.isEmpty()) {
            bytes -= sent.removeFirst().bytes();
        }
    }

    public boolean isFull() {
        return sent.size() >= maxMessages || bytes >= maxBytes;
    }

    public int count() {
        return sent.size();
    }

    public long bytes() {
        return bytes;
    }

    public void reset() {
        sent.clear();
        bytes = 0;
    }
}
