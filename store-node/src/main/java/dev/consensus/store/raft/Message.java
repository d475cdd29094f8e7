package dev.consensus.store.raft;

import java.util.List;

/**
 * Everything one node says to another. Each kind is an immutable record; the core handles them
 * with a {@code switch}. Every message carries the sender's term, which is how stale leaders and
 * candidates find out they are stale.
 */
public sealed interface Message {

    long from();

    long to();

    long term();

    /** The message's name in etcd's logs, so narrated runs read like etcd's. */
    default String kindName() {
        return switch (this) {
            case PreVote m -> "MsgPreVote";
            case PreVoteResponse m -> "MsgPreVoteResp";
            case Vote m -> "MsgVote";
            case VoteResponse m -> "MsgVoteResp";
            case Append m -> "MsgApp";
            case AppendResponse m -> "MsgAppResp";
            case Heartbeat m -> "MsgHeartbeat";
            case HeartbeatResponse m -> "MsgHeartbeatResp";
            case InstallSnapshot m -> "MsgSnap";
            case TimeoutNow m -> "MsgTimeoutNow";
            case ForwardedProposal m -> "MsgProp";
            case ReadIndexRequest m -> "MsgReadIndex";
            case ReadIndexResponse m -> "MsgReadIndexResp";
        };
    }

    /**
     * Thesis 9.6: "would you vote for me at {@code term}?" asked without raising the sender's own
     * term, so a node that cannot win never disturbs the others.
     */
    record PreVote(long from, long to, long term, long lastLogIndex, long lastLogTerm)
            implements Message {}

    /** The answer to a {@link PreVote}; a rejection carries the responder's term. */
    record PreVoteResponse(long from, long to, long term, boolean granted) implements Message {}

    /**
     * A real vote request (5.2). {@code leadershipTransfer} marks an election the leader itself
     * asked for, which voters honour even while they still hear from that leader (3.10).
     */
    record Vote(long from, long to, long term, long lastLogIndex, long lastLogTerm,
            boolean leadershipTransfer) implements Message {}

    record VoteResponse(long from, long to, long term, boolean granted) implements Message {}

    /**
     * AppendEntries (5.3): the entries follow {@code prevLogIndex}/{@code prevLogTerm}, and the
     * leader's commit index is capped at what this follower is known to hold.
     */
    record Append(long from, long to, long term, long prevLogIndex, long prevLogTerm,
            List<Entry> entries, long commit) implements Message {
        public Append {
            entries = List.copyOf(entries);
        }
    }

    /**
     * Success: {@code index} is the last index now known to match the leader's log. Rejection:
     * {@code index} is the rejected {@code prevLogIndex}, and {@code hintIndex}/{@code hintTerm}
     * is the follower's last entry that could still match, so the leader skips whole terms
     * instead of probing one index per round trip.
     */
    record AppendResponse(long from, long to, long term, boolean rejected, long index,
            long hintIndex, long hintTerm) implements Message {}

    /**
     * Keeps followers from campaigning and carries the commit index. {@code readRound}, when not
     * zero, asks the follower to confirm this leader for a batch of ReadIndex reads (6.4).
     */
    record Heartbeat(long from, long to, long term, long commit, long readRound)
            implements Message {}

    record HeartbeatResponse(long from, long to, long term, long readRound) implements Message {}

    /** InstallSnapshot (7): for a member whose next entry the leader has compacted away. */
    record InstallSnapshot(long from, long to, long term, Snapshot snapshot) implements Message {}

    /** Leadership transfer (3.10): the leader tells an up-to-date member to campaign now. */
    record TimeoutNow(long from, long to, long term) implements Message {}

    /** Proposals a follower or learner passes on to the leader it knows. */
    record ForwardedProposal(long from, long to, long term, List<Proposal> proposals)
            implements Message {
        public ForwardedProposal {
            proposals = List.copyOf(proposals);
        }
    }

    /** Reads a follower asks the leader to order (6.4); they come back in one response. */
    record ReadIndexRequest(long from, long to, long term, List<Long> requestIds)
            implements Message {
        public ReadIndexRequest {
            requestIds = List.copyOf(requestIds);
        }
    }

    record ReadIndexResponse(long from, long to, long term, long index, List<Long> requestIds)
            implements Message {
        public ReadIndexResponse {
            requestIds = List.copyOf(requestIds);
        }
    }
}
