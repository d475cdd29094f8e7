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
import java.util.Optional;
import dev.consensus.store.tls.TlsContexts;
import dev.consensus.store.tls.TlsSettings;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;

/**
 * The etcd v3 client API of one member, on each of its client URLs. gRPC's own message limit is
 * {@code --max-request-bytes} plus etcd's 512 KiB allowance for framing, as etcd sets it.
 */
public final class ClientApiServer implements AutoCloseable {

    private static final int GRPC_OVERHEAD_BYTES = 512 * 1024;

    private final List<Server> servers = new ArrayList<>();
    private final LeaderForwarder forwarder;
    private final CallThreads callThreads = new CallThreads();

    private ClientApiServer(LeaderForwarder forwarder) {
        this.forwarder = forwarder;
    }

    /**
     * Starts listening on {@code listenUrls}. With {@code tls}, https URLs serve TLS with that
     * certificate (requiring client certificates signed by its CA when it says so), and calls
     * forwarded to the leader's https URL present the same certificate.
     */
    public static ClientApiServer start(StoreServer server, List<URI> listenUrls, Optional<TlsSettings> tls)
            throws IOException {
        boolean https = listenUrls.stream().anyMatch(u -> "https".equals(u.getScheme()));
        if (https && tls.map(t -> !t.hasCertificate()).orElse(true)) {
            throw new IllegalArgumentException("https client URLs need --cert-file and --key-file: " + listenUrls);
        }
        SslContext serverTls = https ? TlsContexts.server(tls.orElseThrow()) : null;
        SslContext forwardTls = tls.isPresent() ? TlsContexts.client(tls.get()) : null;
        ClientTls dialing = (builder, secure) -> secure && forwardTls != null
                ? builder.sslContext(forwardTls) : builder.usePlaintext();
        LeaderForwarder forwarder = new LeaderForwarder(server, dialing);
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
                        .executor(CallThreads.connectionThread())
                        .callExecutor(api.callThreads)
                        .addService(new KvApi(kv))
                        .addService(new WatchApi(server))
                        .addService(new LeaseApi(new LeaseOperations(server, kv), forwarder))
                        .addService(new ClusterApi(cluster, forwarder))
                        .addService(new MaintenanceApi(server, new MaintenanceOperations(server, cluster)))
                        .addService(new AuthApi(server));
                if ("https".equals(url.getScheme())) {
                    builder = builder.sslContext(serverTls);
                }
                api.servers.add(((ServerBuilder<?>) builder).build().start());
            }
        } catch (IOException | RuntimeException e) {
            api.close();
            throw e;
        }
        return api;
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
        callThreads.close();
    }
}
