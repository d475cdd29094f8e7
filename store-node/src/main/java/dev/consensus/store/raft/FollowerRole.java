package dev.consensus.store.raft;

import static dev.consensus.store.raft.RaftNode.NONE;
import static dev.consensus.store.raft.RaftNode.hex;

import dev.consensus.store.raft.Message.Append;
import dev.consensus.store.raft.Message.AppendResponse;
import dev.consensus.store.raft.Message.Heartbeat;
import dev.consensus.store.raft.Message.InstallSnapshot;

/** A follower's (and a learner's) half of replication (5.3), snapshots (7) and transfer (3.10). */
final class FollowerRole {

    private final RaftNode n;

    FollowerRole(RaftNode node) {
        this.n = node;
    }

    void step(Message m) {
        switch (m) {
            case Message.ForwardedProposal p -> {
                if (n.leaderId == NONE) {
                    n.debug("%s no leader at term %d; dropping proposal", hex(n.id), n.term);
                } else {
                    n.send(new Message.ForwardedProposal(n.id, n.leaderId, n.term, p.proposals()));
                }
            }
            case Append a -> {
                heardFromLeader(a);
                handleAppend(a);
            }
            case Heartbeat h -> {
                heardFromLeader(h);
                handleHeartbeat(h);
            }
            case InstallSnapshot s -> {
                heardFromLeader(s);
                handleSnapshot(s);
            }
            case Message.TimeoutNow t -> {
                n.info("%s [term %d] received MsgTimeoutNow from %s and starts an election to get leadership.",
                        hex(n.id), n.term, hex(t.from()));
                n.elections.hup(true);
            }
            case Message.ReadIndexResponse r -> {
                for (long requestId : r.requestIds()) {
                    n.readStates.add(new ReadState(r.index(), requestId));
                }
            }
            default -> n.debug("%s [term %d] follower ignored %s from %s", hex(n.id), n.term, m.kindName(),
                    hex(m.from()));
        }
    }

    private void heardFromLeader(Message m) {
        n.electionElapsed = 0;
        n.leaderId = m.from();
    }

    void handleAppend(Append a) {
        if (a.prevLogIndex() < n.log.committed()) {
            n.send(new AppendResponse(n.id, a.from(), n.term, false, n.log.committed(), 0, 0));
            return;
        }
        long lastNew = n.log.maybeAppend(new RaftLog.Position(a.prevLogIndex(), a.prevLogTerm()), a.commit(),
                a.entries());
        n.syncConfig();
        if (lastNew >= 0) {
            n.send(new AppendResponse(n.id, a.from(), n.term, false, lastNew, 0, 0));
            return;
        }
        // Tell the leader the last entry that could still match, so it skips whole terms.
        RaftLog.Position hint = n.log.findConflictByTerm(Math.min(a.prevLogIndex(), n.log.lastIndex()),
                a.prevLogTerm());
        n.debug("%s [logterm: %d, index: %d] rejected MsgApp [logterm: %d, index: %d] from %s", hex(n.id),
                n.log.termOrZero(a.prevLogIndex()), a.prevLogIndex(), a.prevLogTerm(), a.prevLogIndex(),
                hex(a.from()));
        n.send(new AppendResponse(n.id, a.from(), n.term, true, a.prevLogIndex(), hint.index(), hint.term()));
    }

    void handleHeartbeat(Heartbeat h) {
        n.log.commitTo(h.commit());
        n.send(new Message.HeartbeatResponse(n.id, h.from(), n.term, h.readRound()));
    }

    void handleSnapshot(InstallSnapshot s) {
        Snapshot snap = s.snapshot();
        if (restore(snap)) {
            n.info("%s [commit: %d] restored snapshot [index: %d, term: %d]", hex(n.id), n.log.committed(),
                    snap.index(), snap.term());
            n.send(new AppendResponse(n.id, s.from(), n.term, false, n.log.lastIndex(), 0, 0));
        } else {
            n.info("%s [commit: %d] ignored snapshot [index: %d, term: %d]", hex(n.id), n.log.committed(),
                    snap.index(), snap.term());
            n.send(new AppendResponse(n.id, s.from(), n.term, false, n.log.committed(), 0, 0));
        }
    }

    /** Replaces the log with the snapshot unless it holds nothing new; returns whether it did. */
    private boolean restore(Snapshot snap) {
        if (snap.index() <= n.log.committed()) {
            return false;
        }
        // The snapshot may predate this node's own admission; the change that admitted it then
        // follows in the log, so its membership is not checked here.
        if (n.log.matchTerm(snap.index(), snap.term())) {
            // Our log already holds the snapshot's last entry: only the commit index moves.
            n.log.commitTo(snap.index());
            return false;
        }
        n.log.restore(snap);
        n.syncConfig();
        return true;
    }
}
