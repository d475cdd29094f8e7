package dev.consensus.store.server;

/**
 * Events passed on once their receiver exists (the metrics need the member id, known only after
 * start). What describes the present state (the leader, the learner flag) is replayed to it then;
 * counts from before are dropped.
 */
public final class DeferredEvents implements StoreServer.ServerEvents {

    private volatile StoreServer.ServerEvents target = StoreServer.ServerEvents.NONE;
    private Long lastLeader;
    private Boolean lastLearner;

    public synchronized void deliverTo(StoreServer.ServerEvents events) {
        if (lastLeader != null) {
            events.leaderChanged(lastLeader);
        }
        if (lastLearner != null) {
            events.learner(lastLearner);
        }
        this.target = events;
    }

    @Override
    public synchronized void leaderChanged(long leaderId) {
        lastLeader = leaderId;
        target.leaderChanged(leaderId);
    }

    @Override
    public void walFsync(long nanos) {
        target.walFsync(nanos);
    }

    @Override
    public void proposalFailed() {
        target.proposalFailed();
    }

    @Override
    public void proposalStarted() {
        target.proposalStarted();
    }

    @Override
    public void proposalDone() {
        target.proposalDone();
    }

    @Override
    public void committed(long commitIndex) {
        target.committed(commitIndex);
    }

    @Override
    public void applied(long appliedIndex) {
        target.applied(appliedIndex);
    }

    @Override
    public void backendCommit(long nanos) {
        target.backendCommit(nanos);
    }

    @Override
    public synchronized void learner(boolean learner) {
        lastLearner = learner;
        target.learner(learner);
    }
}
