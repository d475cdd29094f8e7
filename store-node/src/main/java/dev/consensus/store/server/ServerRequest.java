package dev.consensus.store.server;

import dev.consensus.api.etcdserverpb.AlarmRequest;
import dev.consensus.api.etcdserverpb.CompactionRequest;
import dev.consensus.api.etcdserverpb.DeleteRangeRequest;
import dev.consensus.api.etcdserverpb.LeaseGrantRequest;
import dev.consensus.api.etcdserverpb.LeaseRevokeRequest;
import dev.consensus.api.etcdserverpb.PutRequest;
import dev.consensus.api.etcdserverpb.TxnRequest;
import java.net.URI;
import java.util.List;

/**
 * Everything a member proposes as a normal Raft entry. Client requests keep etcd's own messages;
 * the rest are the server's bookkeeping (a member publishing its name and client URLs, a peer URL
 * update, an alarm).
 */
public sealed interface ServerRequest {

    record Put(PutRequest request) implements ServerRequest {}

    record DeleteRange(DeleteRangeRequest request) implements ServerRequest {}

    record Txn(TxnRequest request) implements ServerRequest {}

    record Compact(CompactionRequest request) implements ServerRequest {}

    record LeaseGrant(LeaseGrantRequest request) implements ServerRequest {}

    record LeaseRevoke(LeaseRevokeRequest request) implements ServerRequest {}

    record Alarm(AlarmRequest request) implements ServerRequest {}

    /** etcd's "publish": a started member's name and client URLs, for member list. */
    record PublishAttributes(long memberId, String name, List<URI> clientUrls) implements ServerRequest {
        public PublishAttributes {
            clientUrls = List.copyOf(clientUrls);
        }
    }

    record UpdatePeerUrls(long memberId, List<URI> peerUrls) implements ServerRequest {
        public UpdatePeerUrls {
            peerUrls = List.copyOf(peerUrls);
        }
    }
}
