package dev.consensus.store.server;

import dev.consensus.api.etcdserverpb.ResponseHeader;

/** Every response header carries cluster id, member id, revision and raft term, as etcd's do. */
final class Headers {

    private final StoreServer server;
    private volatile long lastRevision;

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

    /** The header at the current revision; a stopping member answers with the last one it saw. */
    ResponseHeader current() {
        try {
            lastRevision = server.store().use(s -> s.currentRevision());
        } catch (ServerException stopped) {
            // The member is stopping (it may have just been removed); the last revision will do.
        }
        return of(lastRevision);
    }

    ResponseHeader fill(ResponseHeader fromStore) {
        return of(fromStore.getRevision());
    }
}
