package dev.consensus.store.raft;

import java.util.List;

/**
 * The {@link Ready}/{@link RaftNode#advance()} handshake: what changed since the last batch, and
 * what becomes stable, applied and acknowledged once the outside reports the batch done.
 *
 * <p>Invariant: while a Ready is outstanding, the node takes no input.
 */
final class ReadyTracker {

    private final RaftNode n;
    private SoftState lastSoft;
    private HardState lastHard;
    private Ready outstanding;

    ReadyTracker(RaftNode node, HardState persisted) {
        this.n = node;
        this.lastSoft = softState();
        this.lastHard = persisted;
    }

    void requireNoReadyOutstanding() {
        if (outstanding != null) {
            throw new IllegalStateException("raft: the last Ready has not been advanced; call advance() first");
        }
    }

    private SoftState softState() {
        return new SoftState(n.leaderId, n.role);
    }

    boolean hasReady() {
        return outstanding == null
                && (!softState().equals(lastSoft)
                || !n.hardState().equals(lastHard)
                || n.log.hasPendingSnapshot()
                || n.log.hasUnstableEntries()
                || n.log.hasCommittedToRelease()
                || !n.outbox.isEmpty()
                || !n.readStates.isEmpty());
    }

    Ready ready() {
        requireNoReadyOutstanding();
        SoftState soft = softState();
        HardState hard = n.hardState();
        Snapshot snapshot = n.log.pendingSnapshot();
        List<Entry> entries = n.log.unstableEntries();
        boolean termOrVoteChanged = hard.needsSyncComparedTo(lastHard);
        Ready rd = new Ready(
                soft.equals(lastSoft) ? null : soft,
                hard.equals(lastHard) ? null : hard,
                snapshot,
                entries,
                n.log.committedToRelease(n.config.maxCommittedBytesPerReady()),
                n.outbox,
                n.readStates,
                !entries.isEmpty() || snapshot != null || termOrVoteChanged,
                // A leader's appends may go out while its own disk write runs (thesis 10.2.1):
                // its own acknowledgement counts only after advance(), and nothing it sends
                // depends on a term or vote not yet on disk.
                n.role == Role.LEADER && !termOrVoteChanged);
        n.outbox.clear();
        n.readStates.clear();
        lastSoft = soft;
        lastHard = hard;
        outstanding = rd;
        return rd;
    }

    void advance() {
        Ready rd = outstanding;
        if (rd == null) {
            throw new IllegalStateException("raft: advance() without an outstanding Ready");
        }
        outstanding = null;
        if (rd.snapshot() != null) {
            n.log.stableSnapshotTo(rd.snapshot().index());
            n.log.snapshotInstalled(rd.snapshot().index());
        }
        if (!rd.entries().isEmpty()) {
            Entry last = rd.entries().getLast();
            n.log.stableTo(last.index(), last.term());
        }
        if (!rd.committedEntries().isEmpty()) {
            n.log.appliedTo(rd.committedEntries().getLast().index());
        }
        if (n.role == Role.LEADER) {
            n.replication.selfPersisted();
        }
    }
}
