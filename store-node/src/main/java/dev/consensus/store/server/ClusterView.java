package dev.consensus.store.server;

import dev.consensus.store.cluster.ClusterState;

/** The latest applied cluster state, written by the apply thread and read by anyone. */
final class ClusterView {

    private volatile ClusterState state;

    ClusterView(ClusterState initial) {
        this.state = initial;
    }

    ClusterState get() {
        return state;
    }

    void set(ClusterState next) {
        state = next;
    }
}
