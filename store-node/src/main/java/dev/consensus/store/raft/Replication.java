package dev.consensus.store.raft;

import static dev.consensus.store.raft.RaftNode.hex;

import dev.consensus.store.raft.Message.AppendResponse;
import dev.consensus.store.raft.tracker.Progress;
import dev.consensus.store.raft.tracker.ProgressState;
import java.util.List;

/**
 * The leader's half of log replication (5.3): what to send each member given its progress,
 * pipelining within the in-flight window, fast back-off on rejection, snapshots for members the
 * log no longer reaches (7), and commitment by majority of the current term's entries (5.4.2).
 */
final class Replication {

    private final RaftNode n;

    Replication(RaftNode node) {
        this.n = node;
    }

    /** Fresh progress for every member after a term change; this node's own from its disk. */
    void resetProgress() {
        n.tracker.resetAll(n.log.lastIndex() + 1, n.id, n.log.persistedLastIndex());
    }

    void broadcastAppend() {
        for (long member : n.tracker.all().keySet()) {
            if (member != n.id) {
                sendAppend(member, true);
            }
        }
    }

    void broadcastHeartbeat(long readRound) {
        for (var e : n.tracker.all().entrySet()) {
            if (e.getKey() != n.id) {
                // Never claim a commit index past what this member is known to hold.
                long commit = Math.min(e.getValue().match(), n.log.committed());
                n.send(new Message.Heartbeat(n.id, e.getKey(), n.term, commit, readRound));
            }
        }
    }

    /**
     * Sends the next append to {@code to} unless its progress says wait; an append with no
     * entries only goes when {@code sendIfEmpty} (to probe, or to carry the commit index).
     *
     * @return whether a message was sent
     */
    boolean sendAppend(long to, boolean sendIfEmpty) {
        Progress p = n.tracker.progress(to);
        if (p == null || p.isPaused()) {
            return false;
        }
        long prevIndex = p.next() - 1;
        long prevTerm;
        List<Entry> entries;
        try {
            prevTerm = n.log.term(prevIndex);
            entries = n.log.slice(p.next(), n.log.lastIndex() + 1, n.config.maxBytesPerMessage());
        } catch (LogCompactedException e) {
            return sendSnapshot(to, p);
        }
        if (entries.isEmpty() && !sendIfEmpty) {
            return false;
        }
        long bytes = 0;
        for (Entry entry : entries) {
            bytes += entry.sizeBytes();
        }
        long last = entries.isEmpty() ? prevIndex : entries.getLast().index();
        n.send(new Message.Append(n.id, to, n.term, prevIndex, prevTerm, entries, n.log.committed()));
        p.sentEntries(last, entries.size(), bytes);
        return true;
    }

    private boolean sendSnapshot(long to, Progress p) {
        if (!p.recentActive()) {
            n.debug("%s ignore sending snapshot to %s since it is not recently active", hex(n.id), hex(to));
            return false;
        }
        Snapshot snap = n.log.snapshot();
        n.info("%s [firstindex: %d, commit: %d] sent snapshot[index: %d, term: %d] to %s [%s]", hex(n.id),
                n.log.firstIndex(), n.log.committed(), snap.index(), snap.term(), hex(to), p);
        p.becomeSnapshot(snap.index());
        n.send(new Message.InstallSnapshot(n.id, to, n.term, snap));
        return true;
    }

    void handleAppendResponse(AppendResponse r) {
        Progress p = n.tracker.progress(r.from());
        if (p == null) {
            return;
        }
        p.setRecentActive(true);
        if (r.rejected()) {
            long probeFrom = r.hintIndex();
            if (r.hintTerm() > 0) {
                probeFrom = n.log.findConflictByTerm(r.hintIndex(), r.hintTerm()).index();
            }
            if (p.maybeDecreaseTo(r.index(), probeFrom)) {
                n.debug("%s decreased progress of %s to [%s]", hex(n.id), hex(r.from()), p);
                if (p.state() == ProgressState.REPLICATE) {
                    p.becomeProbe();
                }
                sendAppend(r.from(), true);
            }
            return;
        }
        boolean moved = p.maybeUpdate(r.index());
        if (!moved && !(p.state() == ProgressState.PROBE && p.match() == r.index())) {
            return;
        }
        switch (p.state()) {
            case PROBE -> p.becomeReplicate();
            case SNAPSHOT -> {
                if (p.match() + 1 >= n.log.firstIndex()) {
                    n.debug("%s recovered from needing snapshot, resumed sending replication messages to %s [%s]",
                            hex(n.id), hex(r.from()), p);
                    p.becomeProbe();
                    p.becomeReplicate();
                }
            }
            case REPLICATE -> p.inflights().freeTo(r.index());
        }
        if (!maybeCommitAndBroadcast()) {
            // Fill the in-flight window again now that acknowledgements freed room in it.
            while (sendAppend(r.from(), false)) {
                // keep sending while there is room and something to send
            }
        }
        n.leader.onMatchAdvanced(r.from(), p.match());
    }

    void handleHeartbeatResponse(Message.HeartbeatResponse r) {
        Progress p = n.tracker.progress(r.from());
        if (p == null) {
            return;
        }
        p.setRecentActive(true);
        p.heardFrom();
        if (p.match() < n.log.lastIndex()) {
            sendAppend(r.from(), true);
        }
    }

    void snapshotReported(long to, boolean delivered) {
        Progress p = n.tracker.progress(to);
        if (p == null || p.state() != ProgressState.SNAPSHOT) {
            return;
        }
        n.debug("%s snapshot %s, resumed sending replication messages to %s [%s]", hex(n.id),
                delivered ? "succeeded" : "failed", hex(to), p);
        p.snapshotDone(delivered);
    }

    /** The server persisted this leader's own entries: its own acknowledgement now counts. */
    void selfPersisted() {
        Progress self = n.tracker.progress(n.id);
        if (self != null && self.maybeUpdate(n.log.persistedLastIndex())) {
            maybeCommitAndBroadcast();
        }
    }

    /**
     * Commits up to what a majority of voters matched, if that entry is of this term (5.4.2), and
     * tells everyone. Returns whether the commit index moved.
     */
    boolean maybeCommitAndBroadcast() {
        if (!n.log.maybeCommit(n.tracker.committedIndex(), n.term)) {
            return false;
        }
        n.reads.onCommitAdvanced();
        broadcastAppend();
        n.leader.onCommitted();
        return true;
    }
}
