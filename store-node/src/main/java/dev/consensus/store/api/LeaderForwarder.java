package dev.consensus.store.api;

import dev.consensus.store.server.ServerError;
import dev.consensus.store.server.StoreServer;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Channels to the leader's client URL, for the calls only a leader answers (keep-alive, lease
 * TTL, promote, removing the leader). etcd forwards these over its peer HTTP link; a gRPC hop
 * to the leader's own client API does the same with one protocol fewer.
 */
final class LeaderForwarder implements AutoCloseable {

    /** Deadline of a forwarded unary call. */
    static final long TIMEOUT_SECONDS = 10;

    private final StoreServer server;
    private final ClientTls tls;
    private final Map<URI, ManagedChannel> channels = new ConcurrentHashMap<>();

    LeaderForwarder(StoreServer server, ClientTls tls) {
        this.server = server;
        this.tls = tls;
    }

    /** A channel to the current leader; etcd's "no leader" when there is none or it is this member. */
    ManagedChannel leader() {
        List<URI> urls = server.leaderClientUrls();
        if (urls.isEmpty() || server.isLeader()) {
            throw ServerError.NO_LEADER.exception();
        }
        return channels.computeIfAbsent(urls.get(0), this::open);
    }

    private ManagedChannel open(URI url) {
        NettyChannelBuilder builder = NettyChannelBuilder.forAddress(url.getHost(), url.getPort());
        return tls.configure(builder, "https".equals(url.getScheme())).build();
    }

    @Override
    public void close() {
        channels.values().forEach(c -> c.shutdownNow());
        channels.values().forEach(c -> {
            try {
                c.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }
}
