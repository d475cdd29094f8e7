package dev.consensus.store.server;

import dev.consensus.api.etcdserverpb.ResponseHeader;

/** Every response header carries cluster id, member id, revision and raft term, as etcd's do. */
final class Headers {

    private final StoreServer server;

    Headers(StoreServer server) {
        this.server = server;
    }

    ResponseHeader of(long revision) {
        return ResponseHeader.newBuilder()
                .setClusterId(server.clusterId())
                .setMemberId(server.memberId())
                .setRevision(revision)
                .setRaftTerm(server.term())
                .build();
    }

    ResponseHeader current() {
        return of(server.store().use(s -> s.currentRevision()));
    }

    ResponseHeader fill(ResponseHeader fromStore) {
        return of(fromStore.getRevision());
    }
}
