package dev.consensus.store.transport;

import dev.consensus.store.raft.Message;
import dev.consensus.store.tls.TlsContexts;
import dev.consensus.store.tls.TlsSettings;
import dev.consensus.api.raftpb.PeerGrpc;
import io.grpc.ConnectivityState;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The peer transport over gRPC: a server on the listen peer URLs, and per peer a {@link PeerSender}
 * (bounded queue, one batching stream) plus at most one {@link SnapshotSender} at a time.
 */
public final class GrpcPeerTransport implements PeerTransport {

    private static final Logger LOG = LoggerFactory.getLogger(GrpcPeerTransport.class);

    private final PeerIdentity self;
    private final List<URI> listenUrls;
    private final PeerInbound inbound;
    private final SnapshotPayloads payloads;
    private final Optional<TlsSettings> tls;
    private final TransportConfig config;
    private final PeerChannels channels;
    private final PeerService service;
    private final Map<Long, PeerSender> senders = new ConcurrentHashMap<>();
    private final Map<Long, Thread> snapshots = new ConcurrentHashMap<>();
    // Snapshot chunks (file writes) and GetCluster run here; Raft batches run on the connection's thread.
    private final ExecutorService blockingCalls = Executors.newCachedThreadPool(
            Thread.ofPlatform().name("peer-call-", 0).daemon().factory());
    private Server server;
    private volatile boolean closed;

    /**
     * @param listenPeerUrls where to accept peers; all {@code https://} (TLS, needs {@code tls}) or all
     *                       {@code http://}. Port 0 picks a free port ({@link #listenAddresses()}).
     * @param tls            this member's peer certificate, key and trusted CA; also used to reach
     *                       {@code https://} peers
     */
    public GrpcPeerTransport(PeerIdentity self, List<URI> listenPeerUrls, PeerInbound inbound,
            SnapshotPayloads payloads, Optional<TlsSettings> tls, TransportConfig config) {
        if (listenPeerUrls.isEmpty()) {
            throw new IllegalArgumentException("at least one listen peer URL is needed");
        }
        if (PeerChannels.allTls(listenPeerUrls) && tls.map(t -> !t.hasCertificate()).orElse(true)) {
            throw new IllegalArgumentException("https listen peer URLs need --peer-cert-file and --peer-key-file: "
                    + listenPeerUrls);
        }
        listenPeerUrls.forEach(PeerChannels::address); // refuses what is not http(s)://host:port
        this.self = self;
        this.listenUrls = List.copyOf(listenPeerUrls);
        this.inbound = inbound;
        this.payloads = payloads;
        this.tls = tls;
        this.config = config;
        this.channels = new PeerChannels(tls, config);
        this.service = new PeerService(new PeerChecks(self, inbound), inbound, payloads);
    }

    @Override
    public synchronized void start() throws IOException {
        if (server != null) {
            throw new IllegalStateException("the peer transport is already started");
        }
        NettyServerBuilder builder = null;
        for (URI url : listenUrls) {
            InetSocketAddress unresolved = PeerChannels.address(url);
            InetSocketAddress address = new InetSocketAddress(unresolved.getHostString(), unresolved.getPort());
            builder = builder == null ? NettyServerBuilder.forAddress(address) : builder.addListenAddress(address);
        }
        builder.addService(service)
                // A batch of Raft messages is decoded and queued for the Raft loop on the
                // connection's own thread: handing it to a pool thread first cost a thread wake-up
                // on every hop of every write.
                .executor(Runnable::run)
                .callExecutor(new ServerCallExecutorSupplier() {
                    @Override
                    public <Q, R> Executor getExecutor(ServerCall<Q, R> call, Metadata headers) {
                        return call.getMethodDescriptor().equals(PeerGrpc.getStreamMethod()) ? null : blockingCalls;
                    }
                })
                .maxInboundMessageSize(config.maxMessageBytes())
                .permitKeepAliveTime(TransportConfig.MIN_PEER_PING_INTERVAL.toNanos(), TimeUnit.NANOSECONDS)
                .permitKeepAliveWithoutCalls(true)
                // A member that restarts must get its port back even while old connections linger.
                .withOption(ChannelOption.SO_REUSEADDR, true);
        if (PeerChannels.allTls(listenUrls)) {
            builder.sslContext(TlsContexts.server(tls.orElseThrow()));
        }
        try {
            server = builder.build().start();
        } catch (IOException e) {
            throw new IOException("cannot listen for peers on " + listenUrls + ": " + e.getMessage(), e);
        }
        LOG.info("member {} listening for peers on {}", PeerChecks.hex(self.memberId()), listenAddresses());
    }

    /** The addresses the server listens on, with the ports it got. */
    public synchronized List<InetSocketAddress> listenAddresses() {
        if (server == null) {
            return List.of();
        }
        return server.getListenSockets().stream().map(InetSocketAddress.class::cast).toList();
    }

    @Override
    public void send(List<Message> messages) {
        // One batch per peer, in the order given; snapshots take their own path.
        Map<Long, List<Message>> byPeer = new LinkedHashMap<>();
        for (Message message : messages) {
            if (message instanceof Message.InstallSnapshot snapshot) {
                PeerSender sender = senders.get(message.to());
                if (sender == null || closed) {
                    inbound.snapshotReported(message.to(), false);
                } else {
                    startSnapshot(sender, snapshot);
                }
            } else {
                byPeer.computeIfAbsent(message.to(), id -> new ArrayList<>()).add(message);
            }
        }
        byPeer.forEach((peer, batch) -> {
            PeerSender sender = senders.get(peer);
            if (sender == null || closed) {
                LOG.debug("dropped {} messages to member {}: not a known peer", batch.size(), PeerChecks.hex(peer));
                return;
            }
            try {
                int dropped = sender.send(batch);
                if (dropped > 0) {
                    LOG.debug("dropped {} messages to member {}: its queue is full", dropped, PeerChecks.hex(peer));
                    inbound.unreachable(peer);
                }
            } catch (RuntimeException e) {
                LOG.error("dropped {} messages to member {}", batch.size(), PeerChecks.hex(peer), e);
            }
        });
    }

    private void startSnapshot(PeerSender sender, Message.InstallSnapshot message) {
        long peer = message.to();
        Thread thread = new Thread(new SnapshotSender(self, message, sender::channel, payloads, inbound, config,
                () -> snapshots.remove(peer)), "peer-snapshot-" + PeerChecks.hex(peer));
        thread.setDaemon(true);
        if (snapshots.putIfAbsent(peer, thread) != null) {
            // The core sends one snapshot at a time; a second means it gave up on the first.
            LOG.warn("a snapshot to member {} is still being sent; {} is not started", PeerChecks.hex(peer),
                    message.snapshot());
            inbound.snapshotReported(peer, false);
            return;
        }
        thread.start();
    }

    @Override
    public synchronized void setPeers(Map<Long, List<URI>> peerUrls) {
        if (closed) {
            return;
        }
        Map<Long, List<URI>> wanted = new HashMap<>(peerUrls);
        wanted.remove(self.memberId());
        wanted.forEach((id, urls) -> {
            if (urls.isEmpty()) {
                throw new IllegalArgumentException("member " + PeerChecks.hex(id) + " has no peer URLs");
            }
            urls.forEach(PeerChannels::address);
        });
        for (var it = senders.entrySet().iterator(); it.hasNext(); ) {
            var entry = it.next();
            if (!wanted.containsKey(entry.getKey())) {
                it.remove();
                entry.getValue().close();
            }
        }
        wanted.forEach((id, urls) -> {
            PeerSender existing = senders.get(id);
            if (existing != null) {
                existing.setUrls(urls);
            } else {
                PeerSender sender = new PeerSender(id, urls, self, inbound, channels, config);
                senders.put(id, sender);
                sender.start();
            }
        });
    }

    @Override
    public void close() {
        Server toStop;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toStop = server;
        }
        snapshots.values().forEach(Thread::interrupt);
        senders.values().forEach(PeerSender::close);
        senders.clear();
        blockingCalls.shutdownNow();
        if (toStop != null) {
            // Peers' streams never end by themselves, so waiting for them would only delay the
            // stop; they see the stream end and back off until this member is back.
            toStop.shutdownNow();
            try {
                toStop.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Batches this member sent, over all peers; tests see batching through it. */
    long batchesSent() {
        return senders.values().stream().mapToLong(PeerSender::batchesSent).sum();
    }

    /** The connectivity of the channel to {@code peer}, null before it is opened; for tests. */
    ConnectivityState channelState(long peer) {
        PeerSender sender = senders.get(peer);
        return sender == null ? null : sender.channelState();
    }

    /** True if the next message to {@code peer} opens a new stream; for tests. */
    boolean opensStreamOnNextSend(long peer) {
        PeerSender sender = senders.get(peer);
        return sender != null && sender.opensStreamOnNextSend();
    }

    /** Batches this member accepted from peers. */
    long batchesReceived() {
        return service.batchesReceived();
    }
}
