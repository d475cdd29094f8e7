package dev.consensus.store.transport;

import dev.consensus.store.tls.TlsContexts;
import dev.consensus.store.tls.TlsSettings;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Builds channels to peer URLs: {@code https://} means TLS with this member's peer settings
 * (its certificate doubles as the client certificate), {@code http://} plaintext.
 */
final class PeerChannels {

    private final Optional<TlsSettings> tls;
    private final TransportConfig config;
    private SslContext clientContext; // built on first https use: a member with only http peers needs no TLS files

    PeerChannels(Optional<TlsSettings> tls, TransportConfig config) {
        this.tls = tls;
        this.config = config;
    }

    ManagedChannel open(URI url) throws IOException {
        InetSocketAddress address = address(url);
        NettyChannelBuilder builder = NettyChannelBuilder.forAddress(address.getHostString(), address.getPort())
                .maxInboundMessageSize(config.maxMessageBytes())
                .keepAliveTime(config.keepAliveTime().toNanos(), TimeUnit.NANOSECONDS)
                .keepAliveTimeout(config.keepAliveTimeout().toNanos(), TimeUnit.NANOSECONDS)
                // Raft retries on its own schedule; a retried message would only arrive late.
                .disableRetry();
        if (isTls(url)) {
            builder.sslContext(clientContext());
        } else {
            builder.usePlaintext();
        }
        return builder.build();
    }

    private synchronized SslContext clientContext() throws IOException {
        if (clientContext == null) {
            // Without peer TLS settings an https peer is still reachable if the JDK's CAs trust it.
            clientContext = TlsContexts.client(tls.orElse(new TlsSettings(null, null, null, false)));
        }
        return clientContext;
    }

    static boolean isTls(URI url) {
        return "https".equalsIgnoreCase(url.getScheme());
    }

    /** Host and port of an {@code http://} or {@code https://} URL; anything else is refused. */
    static InetSocketAddress address(URI url) {
        String scheme = url.getScheme();
        if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
            throw new IllegalArgumentException("URL scheme must be http or https: " + url);
        }
        if (url.getHost() == null || url.getPort() < 0) {
            throw new IllegalArgumentException("URL must have a host and a port: " + url);
        }
        String host = url.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1); // IPv6 literal
        }
        return InetSocketAddress.createUnresolved(host, url.getPort());
    }

    /** All listen URLs share one scheme: one server has one TLS setting. */
    static boolean allTls(List<URI> urls) {
        long https = urls.stream().filter(PeerChannels::isTls).count();
        if (https != 0 && https != urls.size()) {
            throw new IllegalArgumentException("peer URLs mix http and https: " + urls);
        }
        return https != 0;
    }
}
