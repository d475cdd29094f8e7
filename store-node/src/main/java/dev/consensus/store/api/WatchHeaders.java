package dev.consensus.store.api;

import dev.consensus.api.etcdserverpb.WatchResponse;
import dev.consensus.store.server.StoreServer;

/** Adds cluster id, member id and raft term to the store's watch responses. */
final class WatchHeaders {

    private final StoreServer server;

    WatchHeaders(StoreServer server) {
        this.server = server;
    }

    WatchResponse fill(WatchResponse response) {
        return response.toBuilder().setHeader(response.getHeader().toBuilder()
                .setClusterId(server.clusterId())
                .setMemberId(server.memberId())
                .setRaftTerm(server.term())).build();
    }
}
