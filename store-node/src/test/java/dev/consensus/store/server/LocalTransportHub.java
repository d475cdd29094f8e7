package dev.consensus.store.server;

import dev.consensus.store.cluster.ClusterInfo;
import dev.consensus.store.raft.Message;
import dev.consensus.store.transport.PeerIdentity;
import dev.consensus.store.transport.PeerInbound;
import dev.consensus.store.transport.PeerTransport;
import dev.consensus.store.transport.SnapshotPayloads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * An in-memory peer network for server tests that need no sockets between members: each member
 * gets messages on its own single thread, in order. Members can be cut off to simulate a
 * partition. Snapshots are copied directory to directory, as the real transport streams them.
 */
final class LocalTransportHub implements PeerTransportFactory {

    private final Map<Long, Endpoint> endpoints = new ConcurrentHashMap<>();
    private final Set<Long> isolated = ConcurrentHashMap.newKeySet();

    @Override
    public PeerTransport create(PeerIdentity identity, PeerInbound inbound, SnapshotPayloads payloads) {
        Endpoint e = new Endpoint(identity, inbound, payloads);
        endpoints.put(identity.memberId(), e);
        return e;
    }

    @Override
    public ClusterInfo fetchCluster(List<URI> peerUrls) throws IOException {
        for (Endpoint e : endpoints.values()) {
            if (!e.closed) {
                return e.inbound.clusterInfo();
            }
        }
        throw new IOException("no member answers at " + peerUrls);
    }

    void isolate(long memberId) {
        isolated.add(memberId);
    }

    void heal(long memberId) {
        isolated.remove(memberId);
    }

    private final class Endpoint implements PeerTransport {
        private final PeerIdentity identity;
        private final PeerInbound inbound;
        private final SnapshotPayloads payloads;
        private final ExecutorService executor;
        private volatile boolean closed;

        Endpoint(PeerIdentity identity, PeerInbound inbound, SnapshotPayloads payloads) {
            this.identity = identity;
            this.inbound = inbound;
            this.payloads = payloads;
            this.executor = Executors.newSingleThreadExecutor(
                    r -> Thread.ofPlatform().daemon().name("local-peer-" + Long.toHexString(identity.memberId())).unstarted(r));
        }

        @Override
        public void start() {
        }

        @Override
        public void send(List<Message> messages) {
            for (Message m : messages) {
                Endpoint to = endpoints.get(m.to());
                if (closed || to == null || to.closed || to.identity.clusterId() != identity.clusterId()
                        || isolated.contains(m.to()) || isolated.contains(identity.memberId())) {
                    if (m instanceof Message.InstallSnapshot) {
                        inbound.snapshotReported(m.to(), false);
                    }
                    continue;
                }
                if (to.inbound.isRemoved(identity.memberId())) {
                    inbound.removedFromCluster(m.to());
                    continue;
                }
                if (m instanceof Message.InstallSnapshot snap) {
                    to.executor.execute(() -> deliverSnapshot(to, snap));
                } else {
                    to.executor.execute(() -> to.inbound.receive(List.of(m)));
                }
            }
        }

        private void deliverSnapshot(Endpoint to, Message.InstallSnapshot snap) {
            try {
                Path source = payloads.checkpointDir(snap.snapshot());
                Path target = to.payloads.newReceiveDir(snap.snapshot().metadata());
                List<Path> files;
                try (Stream<Path> list = Files.list(source)) {
                    files = new ArrayList<>(list.toList());
                }
                for (Path f : files) {
                    Files.copy(f, target.resolve(f.getFileName().toString()));
                }
                to.inbound.receiveSnapshot(snap, target);
                inbound.snapshotReported(to.identity.memberId(), true);
            } catch (IOException e) {
                inbound.snapshotReported(to.identity.memberId(), false);
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void setPeers(Map<Long, List<URI>> peerUrls) {
        }

        @Override
        public void close() {
            closed = true;
            endpoints.remove(identity.memberId(), this);
            executor.shutdownNow();
        }
    }
}
