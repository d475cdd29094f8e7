package dev.consensus.store.raft;

/**
 * Everything that shapes one node's core, built once and validated. Times are in ticks: the
 * server decides how long a tick is (etcd's {@code --heartbeat-interval}).
 *
 * @param id                         this node's member id, never 0
 * @param electionTimeoutTicks       a follower that hears no leader for a random time in
 *                                   {@code [electionTimeoutTicks, 2*electionTimeoutTicks)} campaigns
 * @param heartbeatIntervalTicks     how often a leader sends heartbeats
 * @param maxBytesPerMessage         the most entry bytes one append carries (at least one entry goes)
 * @param maxInflightMessages        appends in flight to one member before the leader waits
 * @param maxInflightBytes           entry bytes in flight to one member before the leader waits
 * @param maxCommittedBytesPerReady  the most committed entry bytes one {@link Ready} releases
 * @param preVote                    run the pre-vote phase before a real election (thesis 9.6)
 * @param checkQuorum                a leader steps down when it has not heard from a majority
 *                                   for an election timeout, and followers that hear a leader
 *                                   ignore vote requests (the leader lease)
 */
public record RaftConfig(
        long id,
        int electionTimeoutTicks,
        int heartbeatIntervalTicks,
        long maxBytesPerMessage,
        int maxInflightMessages,
        long maxInflightBytes,
        long maxCommittedBytesPerReady,
        boolean preVote,
        boolean checkQuorum) {

    public RaftConfig {
        require(id != RaftNode.NONE, "id must not be 0");
        require(heartbeatIntervalTicks >= 1, "heartbeat interval must be at least 1 tick");
        require(electionTimeoutTicks > heartbeatIntervalTicks,
                "election timeout (" + electionTimeoutTicks + " ticks) must be longer than the heartbeat interval ("
                        + heartbeatIntervalTicks + " ticks)");
        require(maxBytesPerMessage >= 1, "max bytes per message must be positive");
        require(maxInflightMessages >= 1, "max in-flight messages must be positive");
        require(maxInflightBytes >= 1, "max in-flight bytes must be positive");
        require(maxCommittedBytesPerReady >= 1, "max committed bytes per ready must be positive");
    }

    /** etcd's defaults: heartbeat every tick, election after ten, pre-vote and check-quorum on. */
    public static RaftConfig defaults(long id) {
        return new RaftConfig(id, 10, 1, 1024 * 1024, 256, 64L * 1024 * 1024, 64L * 1024 * 1024, true, true);
    }

    public RaftConfig withElectionTimeoutTicks(int ticks) {
        return new RaftConfig(id, ticks, heartbeatIntervalTicks, maxBytesPerMessage, maxInflightMessages,
                maxInflightBytes, maxCommittedBytesPerReady, preVote, checkQuorum);
    }

    public RaftConfig withHeartbeatIntervalTicks(int ticks) {
        return new RaftConfig(id, electionTimeoutTicks, ticks, maxBytesPerMessage, maxInflightMessages,
                maxInflightBytes, maxCommittedBytesPerReady, preVote, checkQuorum);
    }

    public RaftConfig withFlowControl(long bytesPerMessage, int inflightMessages, long inflightBytes) {
        return new RaftConfig(id, electionTimeoutTicks, heartbeatIntervalTicks, bytesPerMessage, inflightMessages,
                inflightBytes, maxCommittedBytesPerReady, preVote, checkQuorum);
    }

    public RaftConfig withMaxCommittedBytesPerReady(long bytes) {
        return new RaftConfig(id, electionTimeoutTicks, heartbeatIntervalTicks, maxBytesPerMessage,
                maxInflightMessages, maxInflightBytes, bytes, preVote, checkQuorum);
    }

    public RaftConfig withPreVote(boolean on) {
        return new RaftConfig(id, electionTimeoutTicks, heartbeatIntervalTicks, maxBytesPerMessage,
                maxInflightMessages, maxInflightBytes, maxCommittedBytesPerReady, on, checkQuorum);
    }

    public RaftConfig withCheckQuorum(boolean on) {
        return new RaftConfig(id, electionTimeoutTicks, heartbeatIntervalTicks, maxBytesPerMessage,
                maxInflightMessages, maxInflightBytes, maxCommittedBytesPerReady, preVote, on);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("raft config: " + message);
        }
    }
}
