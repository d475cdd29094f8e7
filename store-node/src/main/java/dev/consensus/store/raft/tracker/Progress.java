package dev.consensus.store.raft.tracker;

/**
 * The leader's view of one member's log: how much of it matches ({@code match}), what to send
 * next ({@code next}), and how sending is paced.
 *
 * <p>Invariant: {@code match < next}. In {@link ProgressState#SNAPSHOT},
 * {@code pendingSnapshot} is the index of the snapshot in flight.
 */
public final class Progress {

    private long match;
    private long next;
    private ProgressState state = ProgressState.PROBE;
    private long pendingSnapshot;
    private boolean recentActive;
    private boolean probeSent;
    private boolean learner;
    private final Inflights inflights;

    public Progress(long next, boolean learner, Inflights inflights) {
        this.next = next;
        this.learner = learner;
        this.inflights = inflights;
    }

    public long match() {
        return match;
    }

    public long next() {
        return next;
    }

    public ProgressState state() {
        return state;
    }

    public long pendingSnapshot() {
        return pendingSnapshot;
    }

    public boolean isLearner() {
        return learner;
    }

    void setLearner(boolean learner) {
        this.learner = learner;
    }

    public Inflights inflights() {
        return inflights;
    }

    /** Heard from since the last check-quorum round. */
    public boolean recentActive() {
        return recentActive;
    }

    public void setRecentActive(boolean recentActive) {
        this.recentActive = recentActive;
    }

    public void becomeProbe() {
        long floor = state == ProgressState.SNAPSHOT ? Math.max(match, pendingSnapshot) : match;
        resetState(ProgressState.PROBE);
        next = floor + 1;
    }

    public void becomeReplicate() {
        resetState(ProgressState.REPLICATE);
        next = match + 1;
    }

    public void becomeSnapshot(long snapshotIndex) {
        resetState(ProgressState.SNAPSHOT);
        pendingSnapshot = snapshotIndex;
    }

    private void resetState(ProgressState to) {
        state = to;
        probeSent = false;
        pendingSnapshot = 0;
        inflights.reset();
    }

    /**
     * The member acknowledged its log matches up to {@code index}.
     *
     * @return whether {@code match} moved
     */
    public boolean maybeUpdate(long index) {
        boolean updated = false;
        if (match < index) {
            match = index;
            updated = true;
            probeSent = false;
        }
        next = Math.max(next, index + 1);
        return updated;
    }

    /** Records an append of entries up to {@code lastIndex} of {@code bytes}; pipelines in REPLICATE. */
    public void sentEntries(long lastIndex, int entryCount, long bytes) {
        switch (state) {
            case REPLICATE -> {
                if (entryCount > 0) {
                    next = lastIndex + 1;
                    inflights.add(lastIndex, bytes);
                }
            }
            case PROBE -> probeSent = true;
            case SNAPSHOT -> throw new IllegalStateException("sending entries while a snapshot is in flight");
        }
    }

    /**
     * The member rejected the append after {@code rejected}; {@code hintIndex} is the last index
     * that may still match. Stale rejections (for an append no longer current) are ignored.
     *
     * @return whether {@code next} moved back, so a new append should be sent
     */
    public boolean maybeDecreaseTo(long rejected, long hintIndex) {
        if (state == ProgressState.REPLICATE) {
            if (rejected <= match) {
                return false;
            }
            next = match + 1;
            return true;
        }
        if (next - 1 != rejected) {
            return false;
        }
        next = Math.max(Math.min(rejected, hintIndex + 1), match + 1);
        probeSent = false;
        return true;
    }

    /**
     * The transport's word on the snapshot in flight. Either way the leader probes next, after
     * the snapshot when it was delivered, and only once the member answers a heartbeat.
     */
    public void snapshotDone(boolean delivered) {
        if (!delivered) {
            pendingSnapshot = 0;
        }
        becomeProbe();
        probeSent = true;
    }

    /**
     * The member answered a heartbeat, so it is reachable: a probe that may have been lost is
     * retried, and a full window gives up its oldest slot, since an acknowledgement lost with it
     * would otherwise stall replication to this member for good.
     */
    public void heardFrom() {
        probeSent = false;
        if (state == ProgressState.REPLICATE && inflights.isFull()) {
            inflights.freeFirst();
        }
    }

    /** Whether sending more to this member must wait. */
    public boolean isPaused() {
        return switch (state) {
            case PROBE -> probeSent;
            case REPLICATE -> inflights.isFull();
            case SNAPSHOT -> true;
        };
    }

    @Override
    public String toString() {
        return state + " match=" + match + " next=" + next
                + (learner ? " learner" : "")
                + (state == ProgressState.SNAPSHOT ? " pendingSnapshot=" + pendingSnapshot : "")
                + (inflights.count() > 0 ? " inflight=" + inflights.count() : "");
    }
}
