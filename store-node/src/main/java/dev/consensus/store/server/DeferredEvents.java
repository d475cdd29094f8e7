package dev.consensus.store.server;

/** Events held until their receiver exists (the metrics need the member id, known after start). */
public final class DeferredEvents implements StoreServer.ServerEvents {

    private volatile StoreServer.ServerEvents target = StoreServer.ServerEvents.NONE;

    public void deliverTo(StoreServer.ServerEvents events) {
        this.target = events;
    }

    @Override
    public void leaderChanged(long leaderId) {
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
    public void learner(boolean learner) {
        target.learner(learner);
    }
}
