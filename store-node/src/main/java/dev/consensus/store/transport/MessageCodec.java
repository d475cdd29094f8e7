package dev.consensus.store.transport;

import com.google.protobuf.ByteString;
import dev.consensus.api.raftpb.AppendResponse;
import dev.consensus.api.raftpb.ForwardedProposal;
import dev.consensus.api.raftpb.Heartbeat;
import dev.consensus.api.raftpb.HeartbeatResponse;
import dev.consensus.api.raftpb.InstallSnapshot;
import dev.consensus.api.raftpb.RaftMessage;
import dev.consensus.api.raftpb.ReadIndexRequest;
import dev.consensus.api.raftpb.ReadIndexResponse;
import dev.consensus.api.raftpb.TimeoutNow;
import dev.consensus.api.raftpb.VoteRequest;
import dev.consensus.api.raftpb.VoteResponse;
import dev.consensus.store.raft.ConfState;
import dev.consensus.store.raft.Entry;
import dev.consensus.store.raft.EntryType;
import dev.consensus.store.raft.Message;
import dev.consensus.store.raft.Proposal;
import dev.consensus.store.raft.Snapshot;
import dev.consensus.store.raft.SnapshotMetadata;
import java.util.HashSet;
import java.util.List;

/**
 * The core's {@link Message} records to and from {@code raftpb}. Sender and recipient are not
 * encoded per message: the batch envelope (or snapshot header) carries them once.
 *
 * <p>Decoding checks what the records check (entry index and term at least 1, no member both
 * voter and learner, a kind set) and throws {@link IllegalArgumentException} saying what is wrong.
 */
public final class MessageCodec {

    private static final VoteResponse GRANTED = VoteResponse.newBuilder().setGranted(true).build();
    private static final VoteResponse REFUSED = VoteResponse.getDefaultInstance();

    private MessageCodec() {
    }

    public static RaftMessage encode(Message message) {
        RaftMessage.Builder out = RaftMessage.newBuilder().setTerm(message.term());
        switch (message) {
            case Message.PreVote m -> out.setPreVote(voteRequest(m.lastLogIndex(), m.lastLogTerm(), false));
            case Message.PreVoteResponse m -> out.setPreVoteResponse(m.granted() ? GRANTED : REFUSED);
            case Message.Vote m -> out.setVote(voteRequest(m.lastLogIndex(), m.lastLogTerm(), m.leadershipTransfer()));
            case Message.VoteResponse m -> out.setVoteResponse(m.granted() ? GRANTED : REFUSED);
            case Message.Append m -> out.setAppend(dev.consensus.api.raftpb.Append.newBuilder()
                    .setPrevLogIndex(m.prevLogIndex()).setPrevLogTerm(m.prevLogTerm())
                    .addAllEntries(m.entries().stream().map(MessageCodec::encodeEntry).toList())
                    .setCommit(m.commit()));
            case Message.AppendResponse m -> out.setAppendResponse(AppendResponse.newBuilder()
                    .setRejected(m.rejected()).setIndex(m.index())
                    .setHintIndex(m.hintIndex()).setHintTerm(m.hintTerm()));
            case Message.Heartbeat m -> out.setHeartbeat(Heartbeat.newBuilder()
                    .setCommit(m.commit()).setReadRound(m.readRound()));
            case Message.HeartbeatResponse m -> out.setHeartbeatResponse(HeartbeatResponse.newBuilder()
                    .setReadRound(m.readRound()));
            case Message.InstallSnapshot m -> out.setInstallSnapshot(InstallSnapshot.newBuilder()
                    .setSnapshot(encodeSnapshot(m.snapshot())));
            case Message.TimeoutNow m -> out.setTimeoutNow(TimeoutNow.getDefaultInstance());
            case Message.ForwardedProposal m -> out.setForwardedProposal(ForwardedProposal.newBuilder()
                    .addAllProposals(m.proposals().stream().map(MessageCodec::encodeProposal).toList()));
            case Message.ReadIndexRequest m -> out.setReadIndexRequest(ReadIndexRequest.newBuilder()
                    .addAllRequestIds(m.requestIds()));
            case Message.ReadIndexResponse m -> out.setReadIndexResponse(ReadIndexResponse.newBuilder()
                    .setIndex(m.index()).addAllRequestIds(m.requestIds()));
        }
        return out.build();
    }

    /** The message {@code from} sent to {@code to}, as the batch or snapshot header names them. */
    public static Message decode(long from, long to, RaftMessage in) {
        long term = in.getTerm();
        return switch (in.getKindCase()) {
            case PRE_VOTE -> new Message.PreVote(from, to, term,
                    in.getPreVote().getLastLogIndex(), in.getPreVote().getLastLogTerm());
            case PRE_VOTE_RESPONSE -> new Message.PreVoteResponse(from, to, term, in.getPreVoteResponse().getGranted());
            case VOTE -> new Message.Vote(from, to, term, in.getVote().getLastLogIndex(),
                    in.getVote().getLastLogTerm(), in.getVote().getLeadershipTransfer());
            case VOTE_RESPONSE -> new Message.VoteResponse(from, to, term, in.getVoteResponse().getGranted());
            case APPEND -> new Message.Append(from, to, term, in.getAppend().getPrevLogIndex(),
                    in.getAppend().getPrevLogTerm(),
                    in.getAppend().getEntriesList().stream().map(MessageCodec::decodeEntry).toList(),
                    in.getAppend().getCommit());
            case APPEND_RESPONSE -> {
                AppendResponse r = in.getAppendResponse();
                yield new Message.AppendResponse(from, to, term, r.getRejected(), r.getIndex(),
                        r.getHintIndex(), r.getHintTerm());
            }
            case HEARTBEAT -> new Message.Heartbeat(from, to, term,
                    in.getHeartbeat().getCommit(), in.getHeartbeat().getReadRound());
            case HEARTBEAT_RESPONSE -> new Message.HeartbeatResponse(from, to, term,
                    in.getHeartbeatResponse().getReadRound());
            case INSTALL_SNAPSHOT -> new Message.InstallSnapshot(from, to, term,
                    decodeSnapshot(in.getInstallSnapshot().getSnapshot()));
            case TIMEOUT_NOW -> new Message.TimeoutNow(from, to, term);
            case FORWARDED_PROPOSAL -> new Message.ForwardedProposal(from, to, term,
                    in.getForwardedProposal().getProposalsList().stream().map(MessageCodec::decodeProposal).toList());
            case READ_INDEX_REQUEST -> new Message.ReadIndexRequest(from, to, term,
                    in.getReadIndexRequest().getRequestIdsList());
            case READ_INDEX_RESPONSE -> new Message.ReadIndexResponse(from, to, term,
                    in.getReadIndexResponse().getIndex(), in.getReadIndexResponse().getRequestIdsList());
            case KIND_NOT_SET -> throw new IllegalArgumentException("raft message without a kind");
        };
    }

    public static dev.consensus.api.raftpb.Snapshot encodeSnapshot(Snapshot snapshot) {
        SnapshotMetadata meta = snapshot.metadata();
        return dev.consensus.api.raftpb.Snapshot.newBuilder()
                .setMetadata(dev.consensus.api.raftpb.SnapshotMetadata.newBuilder()
                        .setIndex(meta.index()).setTerm(meta.term())
                        .addAllVoters(meta.confState().voters())
                        .addAllLearners(meta.confState().learners()))
                .setData(ByteString.copyFrom(snapshot.data()))
                .build();
    }

    public static Snapshot decodeSnapshot(dev.consensus.api.raftpb.Snapshot in) {
        dev.consensus.api.raftpb.SnapshotMetadata meta = in.getMetadata();
        ConfState conf = new ConfState(new HashSet<>(meta.getVotersList()), new HashSet<>(meta.getLearnersList()));
        return new Snapshot(new SnapshotMetadata(meta.getIndex(), meta.getTerm(), conf), in.getData().toByteArray());
    }

    private static VoteRequest voteRequest(long lastLogIndex, long lastLogTerm, boolean transfer) {
        return VoteRequest.newBuilder().setLastLogIndex(lastLogIndex).setLastLogTerm(lastLogTerm)
                .setLeadershipTransfer(transfer).build();
    }

    private static dev.consensus.api.raftpb.Entry encodeEntry(Entry e) {
        return dev.consensus.api.raftpb.Entry.newBuilder().setIndex(e.index()).setTerm(e.term())
                .setType(encodeType(e.type())).setData(ByteString.copyFrom(e.data())).build();
    }

    private static Entry decodeEntry(dev.consensus.api.raftpb.Entry e) {
        return new Entry(e.getIndex(), e.getTerm(), decodeType(e.getType()), e.getData().toByteArray());
    }

    private static dev.consensus.api.raftpb.Proposal encodeProposal(Proposal p) {
        return dev.consensus.api.raftpb.Proposal.newBuilder().setType(encodeType(p.type()))
                .setData(ByteString.copyFrom(p.data())).build();
    }

    private static Proposal decodeProposal(dev.consensus.api.raftpb.Proposal p) {
        return new Proposal(decodeType(p.getType()), p.getData().toByteArray());
    }

    private static dev.consensus.api.raftpb.EntryType encodeType(EntryType type) {
        return switch (type) {
            case NORMAL -> dev.consensus.api.raftpb.EntryType.ENTRY_NORMAL;
            case CONF_CHANGE -> dev.consensus.api.raftpb.EntryType.ENTRY_CONF_CHANGE;
        };
    }

    private static EntryType decodeType(dev.consensus.api.raftpb.EntryType type) {
        return switch (type) {
            case ENTRY_NORMAL -> EntryType.NORMAL;
            case ENTRY_CONF_CHANGE -> EntryType.CONF_CHANGE;
            case UNRECOGNIZED -> throw new IllegalArgumentException("unknown entry type");
        };
    }

    /** Decodes every message of one envelope, in order. */
    static List<Message> decodeAll(long from, long to, List<RaftMessage> messages) {
        return messages.stream().map(m -> decode(from, to, m)).toList();
    }
}
