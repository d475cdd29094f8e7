package dev.consensus.store.transport;

import dev.consensus.store.testing.LoopbackPorts;
import dev.consensus.store.tls.TlsSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Members with real transports on loopback ports the OS picked; closed together. */
final class PeerNodes implements AutoCloseable {

    static final long CLUSTER = 0xc1a55L;

    /** Small backoffs so a test that takes a peer down sees it back soon. */
    static final TransportConfig CONFIG = TransportConfig.defaults()
            .withReconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200));

    /** One member: its id, what it hears, its snapshot directories, its transport and its URL. */
    record Node(long id, RecordingInbound inbound, DirPayloads payloads, GrpcPeerTransport transport, URI url) {}

    private final Path dir;
    private final List<Node> nodes = new ArrayList<>();

    PeerNodes(Path dir) {
        this.dir = dir;
    }

    Node start(long id) {
        return start(id, CLUSTER, CONFIG, null, "http://" + LoopbackPorts.HOST + ":0");
    }

    /** A member listening on {@code url} (port 0: any free port); {@code tls} may be null. */
    Node start(long id, long clusterId, TransportConfig config, TlsSettings tls, String url) {
        try {
            RecordingInbound inbound = new RecordingInbound();
            DirPayloads payloads = new DirPayloads(Files.createDirectories(dir.resolve("member-" + id + "-" + nodes.size())));
            GrpcPeerTransport transport = new GrpcPeerTransport(new PeerIdentity(clusterId, id), List.of(URI.create(url)),
                    inbound, payloads, Optional.ofNullable(tls), config);
            transport.start();
            URI bound = URI.create(URI.create(url).getScheme() + "://" + LoopbackPorts.HOST + ":"
                    + transport.listenAddresses().getFirst().getPort());
            Node node = new Node(id, inbound, payloads, transport, bound);
            nodes.add(node);
            return node;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every member learns every other's URL. */
    void connectAll() {
        Map<Long, List<URI>> urls = new HashMap<>();
        for (Node n : nodes) {
            urls.put(n.id(), List.of(n.url()));
        }
        for (Node n : nodes) {
            n.transport().setPeers(urls);
        }
    }

    static void connect(Node from, Node to) {
        from.transport().setPeers(Map.of(to.id(), List.of(to.url())));
    }

    @Override
    public void close() {
        nodes.forEach(n -> n.transport().close());
    }
}
