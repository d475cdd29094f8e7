package dev.consensus.store.server;

import dev.consensus.store.metrics.ServerMetrics;
import java.time.Duration;

/** The server's events, counted under etcd's metric names. */
public final class MetricsEvents implements StoreServer.ServerEvents {

    private final ServerMetrics metrics;

    public MetricsEvents(ServerMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void leaderChanged(long leaderId) {
        metrics.leaderChanged(leaderId);
    }

    @Override
    public void walFsync(long nanos) {
        metrics.walFsync(Duration.ofNanos(nanos));
    }

    @Override
    public void proposalFailed() {
        metrics.proposalFailed();
    }

    @Override
    public void committed(long commitIndex) {
        metrics.committed(commitIndex);
    }

    @Override
    public void applied(long appliedIndex) {
        metrics.applied(appliedIndex);
    }

    @Override
    public void proposalStarted() {
        metrics.proposalStarted();
    }

    @Override
    public void proposalDone() {
        metrics.proposalDone();
    }

    @Override
    public void backendCommit(long nanos) {
        metrics.backendCommit(Duration.ofNanos(nanos));
    }

    @Override
    public void learner(boolean learner) {
        metrics.learner(learner);
    }
}
