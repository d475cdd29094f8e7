package dev.consensus.store.server;

import dev.consensus.store.api.ClientApiServer;
import dev.consensus.store.cluster.Member;
import dev.consensus.store.testing.LoopbackPorts;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;

/**
 * Members in this JVM, each with its own data directory and a real gRPC client API on loopback,
 * joined by {@link LocalTransportHub}. For server tests that need real clients (etcdctl, gRPC
 * stubs) but not separate processes.
 */
final class InProcessCluster implements AutoCloseable {

    static final long HEARTBEAT_MS = 50;
    static final long ELECTION_MS = 500;

    final LocalTransportHub hub = new LocalTransportHub();
    private boolean grpcPeers;
    private StoreServer.ServerEvents events = StoreServer.ServerEvents.NONE;
    private final Path root;
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final List<Member> initial = new ArrayList<>();
    private final List<ManagedChannel> channels = new ArrayList<>();
    private long snapshotCount = 100_000;
    private long catchUpEntries = 5_000;
    private long quotaBytes = 2L * 1024 * 1024 * 1024;
    private long maxRequestBytes = 1536 * 1024;
    private Duration watchProgressInterval = Duration.ofMinutes(10);

    record Node(String name, URI clientUrl, URI peerUrl, StoreServer server, ClientApiServer api) {}

    InProcessCluster(Path root) {
        this.root = root;
    }

    InProcessCluster snapshotEvery(long count, long catchUp) {
        this.snapshotCount = count;
        this.catchUpEntries = catchUp;
        return this;
    }

    /** What every member reports its events to (fsyncs, leader changes...). */
    InProcessCluster events(StoreServer.ServerEvents hook) {
        this.events = hook;
        return this;
    }

    /** Members talk over the real gRPC peer transport on loopback instead of the in-memory hub. */
    InProcessCluster grpcPeers() {
        this.grpcPeers = true;
        return this;
    }

    /** How often watches created with progress_notify hear the current revision. */
    InProcessCluster watchProgress(Duration interval) {
        this.watchProgressInterval = interval;
        return this;
    }

    InProcessCluster limits(long quota, long requestBytes) {
        this.quotaBytes = quota;
        this.maxRequestBytes = requestBytes;
        return this;
    }

    /** Starts a new cluster of {@code size} voters named m0..m(n-1). */
    InProcessCluster start(int size) throws IOException {
        List<Integer> ports = LoopbackPorts.pick(size * 2);
        for (int i = 0; i < size; i++) {
            URI peer = URI.create("http://127.0.0.1:" + ports.get(2 * i + 1));
            initial.add(new Member(memberId(i), "m" + i, List.of(peer), List.of(), false));
        }
        for (int i = 0; i < size; i++) {
            URI client = URI.create("http://127.0.0.1:" + ports.get(2 * i));
            startNode("m" + i, client, initial.get(i).peerUrls().get(0), false);
        }
        for (Node n : nodes.values()) {
            await(() -> n.server().cluster().members().size() == size
                    && n.server().cluster().members().values().stream().allMatch(m -> !m.clientUrls().isEmpty()),
                    Duration.ofSeconds(20), "every member to publish its client URLs");
        }
        return this;
    }

    private static long memberId(int i) {
        return 0x1000L + i;
    }

    Node startNode(String name, URI clientUrl, URI peerUrl, boolean join) throws IOException {
        ServerSettings settings = new ServerSettings(name, root.resolve(name), List.of(clientUrl), List.of(peerUrl),
                initial, 0xC0FFEEL, join, "test-token", HEARTBEAT_MS, ELECTION_MS, snapshotCount, catchUpEntries,
                maxRequestBytes, 128, quotaBytes, 1, watchProgressInterval);
        PeerTransportFactory transports = grpcPeers
                ? new GrpcPeerTransports(List.of(peerUrl), java.util.Optional.empty()) : hub;
        StoreServer server = StoreServer.start(settings, transports, events);
        ClientApiServer api = ClientApiServer.start(server, List.of(clientUrl), java.util.Optional.empty());
        Node node = new Node(name, clientUrl, peerUrl, server, api);
        nodes.put(name, node);
        return node;
    }

    /** Starts a member that was added with member add, joining the running cluster. */
    Node join(String name) throws IOException {
        List<Integer> ports = LoopbackPorts.pick(2);
        URI client = URI.create("http://127.0.0.1:" + ports.get(0));
        URI peer = URI.create("http://127.0.0.1:" + ports.get(1));
        return startNodeJoining(name, client, peer);
    }

    Node startNodeJoining(String name, URI client, URI peer) throws IOException {
        return startNode(name, client, peer, true);
    }

    /** Stops a member's API and server, keeping its data (a crash, as far as the others can tell). */
    void stop(String name) {
        Node n = nodes.remove(name);
        if (n != null) {
            n.api().close();
            n.server().close();
        }
    }

    /** Restarts a stopped member from its data directory. */
    Node restart(Node old) throws IOException {
        return startNode(old.name(), old.clientUrl(), old.peerUrl(), false);
    }

    Node node(String name) {
        return nodes.get(name);
    }

    List<Node> nodes() {
        return List.copyOf(nodes.values());
    }

    Optional<Node> leader() {
        return nodes.values().stream().filter(n -> n.server().isLeader()).findFirst();
    }

    Node awaitLeader() {
        await(() -> leader().isPresent(), Duration.ofSeconds(20), "a leader");
        return leader().orElseThrow();
    }

    String endpoints() {
        return String.join(",", nodes.values().stream().map(n -> n.clientUrl().toString()).toList());
    }

    ManagedChannel channel(Node n) {
        ManagedChannel c = NettyChannelBuilder.forAddress(n.clientUrl().getHost(), n.clientUrl().getPort())
                .usePlaintext().build();
        channels.add(c);
        return c;
    }

    static void await(BooleanSupplier condition, Duration limit, String what) {
        Awaitility.await(what).atMost(limit).pollInterval(Duration.ofMillis(20)).until(condition::getAsBoolean);
    }

    @Override
    public void close() {
        channels.forEach(ManagedChannel::shutdownNow);
        for (String name : List.copyOf(nodes.keySet())) {
            stop(name);
        }
    }
}
