package dev.consensus.store.transport;

import dev.consensus.store.cluster.ClusterInfo;
import dev.consensus.store.raft.Message;
import java.nio.file.Path;
import java.util.List;

/**
 * What the transport hands to the server. Called from transport threads; implementations only
 * queue the work for the Raft loop and return.
 */
public interface PeerInbound {

    /** Messages from one peer, already checked for cluster id, recipient and removed senders. */
    void receive(List<Message> messages);

    /**
     * A snapshot whose state-machine files have all arrived in {@code checkpointDir}; the message
     * is what the leader's core sent, to be stepped into this member's core.
     */
    void receiveSnapshot(Message.InstallSnapshot message, Path checkpointDir);

    /** Sending to this peer failed; the core should stop streaming to it until it answers. */
    void unreachable(long memberId);

    /**
     * A connection to this peer that worked was closed or reset: the stream this member sends on
     * ended with {@code UNAVAILABLE} (reported after {@link #unreachable}), or the one the peer
     * sends on ended in error. For {@code RaftNode.reportConnectionLost}.
     */
    default void connectionLost(long memberId) {
    }

    /** The outcome of streaming a snapshot to a peer, for {@code RaftNode.reportSnapshot}. */
    void snapshotReported(long memberId, boolean delivered);

    /** A peer refused us because we were removed from the cluster; the member should stop. */
    void removedFromCluster(long byMemberId);

    /** Answers a joining member's question: the cluster id and every member, learners included. */
    ClusterInfo clusterInfo();

    /** True if this id was removed from the cluster; its messages are refused. */
    boolean isRemoved(long memberId);
}
