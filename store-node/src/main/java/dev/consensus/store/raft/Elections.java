package dev.consensus.store.raft;

import static dev.consensus.store.raft.RaftNode.NONE;
import static dev.consensus.store.raft.RaftNode.hex;

import dev.consensus.store.raft.Message.Append;
import dev.consensus.store.raft.Message.Heartbeat;
import dev.consensus.store.raft.Message.InstallSnapshot;
import dev.consensus.store.raft.Message.PreVote;
import dev.consensus.store.raft.Message.PreVoteResponse;
import dev.consensus.store.raft.Message.Vote;
import dev.consensus.store.raft.Message.VoteResponse;
import dev.consensus.store.raft.quorum.VoteResult;

/**
 * Elections (5.2) with pre-vote (9.6) and the leader lease of check-quorum: the election timer,
 * campaigns, the term rules applied to every incoming message, and the answers to vote requests.
 */
final class Elections {

    private final RaftNode n;

    Elections(RaftNode node) {
        this.n = node;
    }

    /** A follower's or candidate's tick: campaign once the randomized timeout has passed. */
    void tick() {
        n.electionElapsed++;
        if (n.electionElapsed >= n.randomizedElectionTimeout && n.isPromotable()) {
            n.electionElapsed = 0;
            hup(false);
        }
    }

    /**
     * The follower's connection to its leader broke: the leader's lease is over now rather than
     * an election timeout after its last message, so the node campaigns once the randomized
     * part of its timeout has passed. The randomized part still staggers followers that all
     * lost the leader at once, and pre-vote still protects a leader that the others hear.
     */
    void leaderConnectionLost() {
        n.electionElapsed = Math.max(n.electionElapsed, n.config.electionTimeoutTicks());
    }

    /** Starts an election if this node may; {@code transfer} skips pre-vote and the lease. */
    void hup(boolean transfer) {
        if (n.role == Role.LEADER) {
            n.debug("%s ignoring MsgHup because already leader", hex(n.id));
            return;
        }
        if (!n.isPromotable()) {
            n.warn("%s is unpromotable and can not campaign", hex(n.id));
            return;
        }
        n.info("%s is starting a new election at term %d", hex(n.id), n.term);
        campaign(n.config.preVote() && !transfer, transfer);
    }

    private void campaign(boolean pre, boolean transfer) {
        long voteTerm;
        if (pre) {
            n.becomePreCandidate();
            voteTerm = n.term + 1;
        } else {
            n.becomeCandidate();
            voteTerm = n.term;
        }
        n.tracker.recordVote(n.id, true);
        if (n.tracker.tallyVotes() == VoteResult.WON) {
            // A single voter wins at once.
            if (pre) {
                campaign(false, transfer);
            } else {
                n.becomeLeader();
            }
            return;
        }
        long lastIndex = n.log.lastIndex();
        long lastTerm = n.log.lastTerm();
        for (long voter : n.tracker.config().voters()) {
            if (voter == n.id) {
                continue;
            }
            n.info("%s [logterm: %d, index: %d] sent %s request to %s at term %d", hex(n.id), lastTerm, lastIndex,
                    pre ? "MsgPreVote" : "MsgVote", hex(voter), voteTerm);
            n.send(pre ? new PreVote(n.id, voter, voteTerm, lastIndex, lastTerm)
                    : new Vote(n.id, voter, voteTerm, lastIndex, lastTerm, transfer));
        }
    }

    /**
     * The rules for a message from a higher term (5.1). Returns whether to go on handling it.
     * Vote requests inside the leader lease are ignored, so a node that was cut off cannot
     * depose a leader that the others still hear; pre-votes never raise this node's term.
     */
    boolean acceptHigherTerm(Message m) {
        if (m instanceof PreVote || m instanceof Vote) {
            boolean transfer = m instanceof Vote v && v.leadershipTransfer();
            boolean inLease = n.leaderId != NONE && n.electionElapsed < n.config.electionTimeoutTicks();
            boolean leaseApplies = m instanceof PreVote || n.config.checkQuorum();
            if (!transfer && inLease && leaseApplies) {
                n.info("%s [logterm: %d, index: %d, vote: %s] ignored %s from %s at term %d: lease is not expired "
                                + "(remaining ticks: %d)", hex(n.id), n.log.lastTerm(), n.log.lastIndex(), hex(n.vote),
                        m.kindName(), hex(m.from()), n.term, n.config.electionTimeoutTicks() - n.electionElapsed);
                return false;
            }
            if (m instanceof PreVote) {
                return true;
            }
        }
        if (m instanceof PreVoteResponse r && r.granted()) {
            // Granted for the term we would campaign at; our own term stays until we do.
            return true;
        }
        n.info("%s [term: %d] received a %s message with higher term from %s [term: %d]", hex(n.id), n.term,
                m.kindName(), hex(m.from()), m.term());
        boolean fromLeader = m instanceof Append || m instanceof Heartbeat || m instanceof InstallSnapshot;
        n.becomeFollower(m.term(), fromLeader ? m.from() : NONE);
        return true;
    }

    /** A message from a lower term is stale; some get an answer so their sender learns so. */
    void handleLowerTerm(Message m) {
        if ((n.config.checkQuorum() || n.config.preVote()) && (m instanceof Append || m instanceof Heartbeat)) {
            // A leader cut off long enough for us to move on would otherwise never hear of the
            // new term: pre-vote keeps us from raising its term through a vote request.
            n.send(new Message.AppendResponse(n.id, m.from(), n.term, false, 0, 0, 0));
        } else if (m instanceof PreVote) {
            n.send(new PreVoteResponse(n.id, m.from(), n.term, false));
        } else {
            n.debug("%s [term: %d] ignored a %s message with lower term from %s [term: %d]", hex(n.id), n.term,
                    m.kindName(), hex(m.from()), m.term());
        }
    }

    /** Grants a vote at most once per term, and only to a log at least as up to date (5.4.1). */
    void handleVoteRequest(Message m, long lastIndex, long lastTerm) {
        boolean pre = m instanceof PreVote;
        boolean canVote = n.vote == m.from()
                || (n.vote == NONE && n.leaderId == NONE)
                || (pre && m.term() > n.term);
        String kind = m.kindName();
        if (canVote && n.log.isUpToDate(lastIndex, lastTerm)) {
            n.info("%s [logterm: %d, index: %d, vote: %s] cast %s for %s [logterm: %d, index: %d] at term %d",
                    hex(n.id), n.log.lastTerm(), n.log.lastIndex(), hex(n.vote), kind, hex(m.from()), lastTerm,
                    lastIndex, n.term);
            if (pre) {
                n.send(new PreVoteResponse(n.id, m.from(), m.term(), true));
            } else {
                n.electionElapsed = 0;
                n.vote = m.from();
                n.send(new VoteResponse(n.id, m.from(), m.term(), true));
            }
        } else {
            n.info("%s [logterm: %d, index: %d, vote: %s] rejected %s from %s [logterm: %d, index: %d] at term %d",
                    hex(n.id), n.log.lastTerm(), n.log.lastIndex(), hex(n.vote), kind, hex(m.from()), lastTerm,
                    lastIndex, n.term);
            n.send(pre ? new PreVoteResponse(n.id, m.from(), n.term, false)
                    : new VoteResponse(n.id, m.from(), n.term, false));
        }
    }

    /** A candidate's or pre-candidate's handling of messages at its own term. */
    void stepCandidate(Message m) {
        switch (m) {
            case Append a -> {
                n.becomeFollower(m.term(), m.from());
                n.follower.handleAppend(a);
            }
            case Heartbeat h -> {
                n.becomeFollower(m.term(), m.from());
                n.follower.handleHeartbeat(h);
            }
            case InstallSnapshot s -> {
                n.becomeFollower(m.term(), m.from());
                n.follower.handleSnapshot(s);
            }
            case PreVoteResponse r when n.role == Role.PRE_CANDIDATE -> tally(r, r.granted(), true);
            case VoteResponse r when n.role == Role.CANDIDATE -> tally(r, r.granted(), false);
            default -> n.debug("%s [term %d] %s ignored %s from %s", hex(n.id), n.term, n.role.logName(),
                    m.kindName(), hex(m.from()));
        }
    }

    private void tally(Message m, boolean granted, boolean pre) {
        n.tracker.recordVote(m.from(), granted);
        n.info("%s received %s%s from %s at term %d", hex(n.id), m.kindName(), granted ? "" : " rejection",
                hex(m.from()), n.term);
        n.info("%s has received %d %s votes and %d vote rejections", hex(n.id), n.tracker.grantedVotes(),
                m.kindName(), n.tracker.rejectedVotes());
        switch (n.tracker.tallyVotes()) {
            case WON -> {
                if (pre) {
                    campaign(false, false);
                } else {
                    n.becomeLeader();
                }
            }
            case LOST -> n.becomeFollower(n.term, NONE);
            case PENDING -> { }
        }
    }
}
