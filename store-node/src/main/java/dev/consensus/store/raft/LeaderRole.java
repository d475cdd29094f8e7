package dev.consensus.store.raft;

import static dev.consensus.store.raft.RaftNode.NONE;
import static dev.consensus.store.raft.RaftNode.hex;

import dev.consensus.store.raft.confchange.InvalidConfChangeException;
import dev.consensus.store.raft.confchange.MembershipChange;
import dev.consensus.store.raft.tracker.Progress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What only a leader does: heartbeats and check-quorum on its ticks, taking proposals (one
 * membership change at a time), and leadership transfer (3.10).
 *
 * <p>Invariant: {@code leadTransferee}, when set, is a voter other than this node;
 * {@code ownRemovalIndex}, when not 0, is the index of a change removing this node.
 */
final class LeaderRole {

    private final RaftNode n;
    private long leadTransferee = NONE;
    /** The log index of the latest membership change; a new one waits until this is committed. */
    private long pendingConfIndex;
    /** The index of this leader's own removal once proposed: from then on it takes no proposals. */
    private long ownRemovalIndex;
    /** Removed, and leading only until a voter has caught up to take over. */
    private boolean handingOver;

    LeaderRole(RaftNode node) {
        this.n = node;
    }

    long leadTransferee() {
        return leadTransferee;
    }

    void reset() {
        leadTransferee = NONE;
        ownRemovalIndex = 0;
        handingOver = false;
    }

    void onElected() {
        Progress self = n.tracker.progress(n.id);
        if (self != null) {
            self.becomeReplicate();
            self.setRecentActive(true);
        } else {
            ownRemovalIndex = n.log.configs().currentSince();
            n.info("%s leads a membership without itself until its removal at index %d commits", hex(n.id),
                    ownRemovalIndex);
        }
        // Any membership change in the log may still be uncommitted: no new one until it commits.
        pendingConfIndex = n.log.lastIndex();
        // An entry of its own term lets the leader commit, and so serve reads (5.4.2, 6.4).
        n.log.append(List.of(Entry.normal(n.log.lastIndex() + 1, n.term, new byte[0])));
        n.replication.broadcastAppend();
    }

    void tick() {
        n.heartbeatElapsed++;
        n.electionElapsed++;
        if (n.electionElapsed >= n.config.electionTimeoutTicks()) {
            n.electionElapsed = 0;
            if (n.config.checkQuorum()) {
                if (!n.tracker.isQuorumActive(n.id)) {
                    n.warn("%s stepped down to follower since quorum is not active", hex(n.id));
                    n.becomeFollower(n.term, NONE);
                    return;
                }
                n.tracker.resetRecentActive(n.id);
            }
            if (leadTransferee != NONE) {
                n.info("%s [term %d] abort leadership transfer to %s: it did not take over within an election timeout",
                        hex(n.id), n.term, hex(leadTransferee));
                leadTransferee = NONE;
            }
        }
        if (n.heartbeatElapsed >= n.config.heartbeatIntervalTicks()) {
            n.heartbeatElapsed = 0;
            n.replication.broadcastHeartbeat(n.reads.currentRound());
        }
    }

    void step(Message m) {
        switch (m) {
            case Message.AppendResponse r -> n.replication.handleAppendResponse(r);
            case Message.HeartbeatResponse r -> {
                n.replication.handleHeartbeatResponse(r);
                n.reads.acknowledge(r.from(), r.readRound());
            }
            case Message.ForwardedProposal p -> {
                ProposeResult result = appendProposals(p.proposals());
                n.debug("%s forwarded proposal from %s: %s", hex(n.id), hex(p.from()), result);
            }
            case Message.ReadIndexRequest r -> {
                if (n.tracker.progress(r.from()) != null) {
                    n.reads.request(r.from(), r.requestIds());
                }
            }
            case Message.Append a -> twoLeaders(a);
            case Message.Heartbeat h -> twoLeaders(h);
            case Message.InstallSnapshot s -> twoLeaders(s);
            default -> n.debug("%s [term %d] leader ignored %s from %s", hex(n.id), n.term, m.kindName(),
                    hex(m.from()));
        }
    }

    private void twoLeaders(Message m) {
        // Election safety (5.2) makes this impossible; say so loudly rather than act on it.
        n.warn("%s [term %d] received %s from %s, another leader at the same term; ignored", hex(n.id), n.term,
                m.kindName(), hex(m.from()));
    }

    /** Appends a batch; a batch with a membership change that may not go now is refused whole. */
    ProposeResult appendProposals(List<Proposal> proposals) {
        if (leadTransferee != NONE) {
            n.debug("%s [term %d] transfer leadership to %s is in progress; dropping proposal", hex(n.id), n.term,
                    hex(leadTransferee));
            return ProposeResult.LEADERSHIP_TRANSFER_IN_PROGRESS;
        }
        if (ownRemovalIndex != 0) {
            n.debug("%s [term %d] is being removed; dropping proposal", hex(n.id), n.term);
            return ProposeResult.LEADER_BEING_REMOVED;
        }
        long index = n.log.lastIndex();
        long removalIndex = 0;
        long confIndex = pendingConfIndex;
        List<Entry> entries = new ArrayList<>(proposals.size());
        for (Proposal p : proposals) {
            index++;
            if (p.type() == EntryType.CONF_CHANGE) {
                ConfChange change;
                try {
                    change = ConfChange.decode(p.data());
                } catch (IllegalArgumentException e) {
                    n.warn("%s propose conf change ignored: %s", hex(n.id), e.getMessage());
                    return ProposeResult.INVALID_CONF_CHANGE;
                }
                ProposeResult refusal = checkConfChange(change, confIndex);
                if (refusal != null) {
                    return refusal;
                }
                confIndex = index;
                if (change.type() == ConfChangeType.REMOVE_MEMBER && change.memberId() == n.id) {
                    removalIndex = index;
                }
            } else if (removalIndex != 0) {
                // Nothing may follow this leader's own removal in its log (see ownRemovalIndex).
                return ProposeResult.LEADER_BEING_REMOVED;
            }
            entries.add(p.toEntry(index, n.term));
        }
        pendingConfIndex = confIndex;
        n.log.append(entries);
        if (!n.syncConfig()) {
            n.replication.broadcastAppend();
        }
        return ProposeResult.APPENDED;
    }

    private ProposeResult checkConfChange(ConfChange change, long confIndex) {
        if (confIndex > n.log.committed() || !n.committedInCurrentTerm()) {
            // One change at a time, and none before this leader has committed an entry of its
            // own term: the two conditions that make single-member changes safe (thesis 4.1).
            n.info("%s propose conf %s ignored since pending uncommitted configuration [index %d, commit %d]",
                    hex(n.id), change, confIndex, n.log.committed());
            return ProposeResult.CONF_CHANGE_PENDING;
        }
        try {
            MembershipChange.apply(n.tracker.config(), change);
        } catch (InvalidConfChangeException e) {
            n.info("%s propose conf %s ignored: %s", hex(n.id), change, e.getMessage());
            return ProposeResult.INVALID_CONF_CHANGE;
        }
        return null;
    }

    boolean transferLeadership(long transferee) {
        if (transferee == n.id) {
            n.info("%s is already leader. Ignored transferring leadership to self", hex(n.id));
            return false;
        }
        Progress p = n.tracker.progress(transferee);
        if (p == null || p.isLearner()) {
            n.info("%s ignored transferring leadership to %s: not a voter", hex(n.id), hex(transferee));
            return false;
        }
        if (leadTransferee == transferee) {
            return true;
        }
        n.info("%s [term %d] starts to transfer leadership to %s", hex(n.id), n.term, hex(transferee));
        leadTransferee = transferee;
        // The transfer must finish within one election timeout, counted from now.
        n.electionElapsed = 0;
        if (p.match() == n.log.lastIndex()) {
            n.info("%s sends MsgTimeoutNow to %s immediately as %s already has up-to-date log", hex(n.id),
                    hex(transferee), hex(transferee));
            sendTimeoutNow(transferee);
        } else {
            n.replication.sendAppend(transferee, true);
        }
        return true;
    }

    /** Called when a member's match moves: the transferee, or a successor, may now be caught up. */
    void onMatchAdvanced(long memberId, long match) {
        if (handingOver) {
            maybeHandOver();
            return;
        }
        if (memberId == leadTransferee && match == n.log.lastIndex()) {
            n.info("%s sent MsgTimeoutNow to %s after received MsgAppResp", hex(n.id), hex(memberId));
            sendTimeoutNow(memberId);
        }
    }

    private void sendTimeoutNow(long to) {
        n.send(new Message.TimeoutNow(n.id, to, n.term));
    }

    /** The membership changed while leading: it counts from now on, for commits and reads. */
    void onConfigChanged() {
        if (!n.tracker.config().isVoter(n.id) && ownRemovalIndex == 0) {
            ownRemovalIndex = n.log.configs().currentSince();
            n.info("%s is removed at index %d; it leads until that commits, taking no more proposals", hex(n.id),
                    ownRemovalIndex);
        }
        if (leadTransferee != NONE && !n.tracker.config().isVoter(leadTransferee)) {
            leadTransferee = NONE;
        }
        if (!n.replication.maybeCommitAndBroadcast()) {
            n.replication.broadcastAppend();
        }
    }

    /** The commit index moved: a leader whose removal is now committed hands over. */
    void onCommitted() {
        if (ownRemovalIndex != 0 && n.log.committed() >= ownRemovalIndex) {
            handOverAfterRemoval();
        }
    }

    /**
     * The leader's own removal is committed (thesis 4.2.2): it steps down, but first keeps
     * replicating until a voter holds its whole log and tells that voter to campaign at once, so
     * the cluster is not left without a leader for an election timeout.
     */
    private void handOverAfterRemoval() {
        if (!handingOver) {
            handingOver = true;
            n.info("%s removed from the configuration; handing leadership over at term %d", hex(n.id), n.term);
        }
        if (!maybeHandOver()) {
            n.replication.broadcastAppend();
        }
    }

    private boolean maybeHandOver() {
        for (Map.Entry<Long, Progress> e : n.tracker.all().entrySet()) {
            if (n.tracker.config().isVoter(e.getKey()) && e.getValue().match() == n.log.lastIndex()) {
                n.info("%s sends MsgTimeoutNow to %s to take over and steps down", hex(n.id), hex(e.getKey()));
                sendTimeoutNow(e.getKey());
                n.becomeFollower(n.term, NONE);
                return true;
            }
        }
        return false;
    }
}
