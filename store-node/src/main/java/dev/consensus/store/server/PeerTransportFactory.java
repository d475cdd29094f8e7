package dev.consensus.store.server;

import dev.consensus.store.cluster.ClusterInfo;
import dev.consensus.store.transport.PeerIdentity;
import dev.consensus.store.transport.PeerInbound;
import dev.consensus.store.transport.PeerTransport;
import dev.consensus.store.transport.SnapshotPayloads;
import java.io.IOException;
import java.net.URI;
import java.util.List;

/** How the server gets its peer transport: gRPC in production, in memory in some tests. */
public interface PeerTransportFactory {

    PeerTransport create(PeerIdentity identity, PeerInbound inbound, SnapshotPayloads payloads) throws IOException;

    /** Asks running members (by their peer URLs) who they are; for a member joining a cluster. */
    ClusterInfo fetchCluster(List<URI> peerUrls) throws IOException;
}
