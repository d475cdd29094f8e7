package dev.consensus.store.api;

import dev.consensus.store.server.ClusterOperations;
import dev.consensus.store.server.KvOperations;
import dev.consensus.store.server.LeaseOperations;
import dev.consensus.store.server.MaintenanceOperations;
import dev.consensus.store.server.StoreServer;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * The etcd v3 client API of one member, on each of its client URLs. gRPC's own message limit is
 * {@code --max-request-bytes} plus etcd's 512 KiB allowance for framing, as etcd sets it.
 */
public final class ClientApiServer implements AutoCloseable {

    private static final int GRPC_OVERHEAD_BYTES = 512 * 1024;

    private final List<Server> servers = new ArrayList<>();
    private final LeaderForwarder forwarder;

    private ClientApiServer(LeaderForwarder forwarder) {
        this.forwarder = forwarder;
    }

    /**
     * Starts listening on {@code listenUrls}; {@code tls} adds TLS to the listeners of https URLs.
     */
    public static ClientApiServer start(StoreServer server, List<URI> listenUrls,
            UnaryOperator<NettyServerBuilder> tls) throws IOException {
        LeaderForwarder forwarder = new LeaderForwarder(server, ClientTls.PLAINTEXT);
        ClientApiServer api = new ClientApiServer(forwarder);
        KvOperations kv = new KvOperations(server);
        ClusterOperations cluster = new ClusterOperations(server);
        int maxMessage = (int) Math.min(Integer.MAX_VALUE, server.settings().maxRequestBytes() + GRPC_OVERHEAD_BYTES);
        try {
            for (URI url : listenUrls) {
                NettyServerBuilder builder = NettyServerBuilder
                        .forAddress(new InetSocketAddress(url.getHost(), url.getPort()))
                        .maxInboundMessageSize(maxMessage)
                        .permitKeepAliveTime(5, TimeUnit.SECONDS)
                        .permitKeepAliveWithoutCalls(true)
                        .addService(new KvApi(kv))
                        .addService(new WatchApi(server))
                        .addService(new LeaseApi(new LeaseOperations(server, kv), forwarder))
                        .addService(new ClusterApi(cluster, forwarder))
                        .addService(new MaintenanceApi(server, new MaintenanceOperations(server, cluster)))
                        .addService(new AuthApi(server));
                if ("https".equals(url.getScheme())) {
                    builder = tls.apply(builder);
                }
                api.servers.add(((ServerBuilder<?>) builder).build().start());
            }
        } catch (IOException | RuntimeException e) {
            api.close();
            throw e;
        }
        return api;
    }

    /** The port of the first listener (tests ask for port 0). */
    public int port() {
        return servers.get(0).getPort();
    }

    @Override
    public void close() {
        servers.forEach(Server::shutdownNow);
        for (Server s : servers) {
            try {
                s.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        forwarder.close();
    }
}
