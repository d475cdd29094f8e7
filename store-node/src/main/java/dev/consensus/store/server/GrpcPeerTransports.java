package dev.consensus.store.server;

import dev.consensus.store.cluster.ClusterInfo;
import dev.consensus.store.tls.TlsSettings;
import dev.consensus.store.transport.GrpcPeerTransport;
import dev.consensus.store.transport.PeerClient;
import dev.consensus.store.transport.PeerIdentity;
import dev.consensus.store.transport.PeerInbound;
import dev.consensus.store.transport.PeerTransport;
import dev.consensus.store.transport.SnapshotPayloads;
import dev.consensus.store.transport.TransportConfig;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The production peer transport: gRPC on the member's listen peer URLs, TLS when configured. */
public final class GrpcPeerTransports implements PeerTransportFactory {

    private final List<URI> listenPeerUrls;
    private final Optional<TlsSettings> tls;

    public GrpcPeerTransports(List<URI> listenPeerUrls, Optional<TlsSettings> tls) {
        this.listenPeerUrls = List.copyOf(listenPeerUrls);
        this.tls = tls;
    }

    @Override
    public PeerTransport create(PeerIdentity identity, PeerInbound inbound, SnapshotPayloads payloads) {
        return new GrpcPeerTransport(identity, listenPeerUrls, inbound, payloads, tls, TransportConfig.defaults());
    }

    @Override
    public ClusterInfo fetchCluster(List<URI> peerUrls) throws IOException {
        return PeerClient.fetchCluster(peerUrls, tls, Duration.ofSeconds(5));
    }
}
