package dev.consensus.bench.load;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * One client endpoint, {@code host:port}, parsed from the forms etcdctl accepts:
 * {@code http://127.0.0.1:2379} or {@code 127.0.0.1:2379}. TLS is refused rather than silently
 * spoken in plain text.
 */
public record Endpoint(String host, int port) {

    public Endpoint {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("endpoint has no host");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("endpoint port " + port + " is outside 1-65535");
        }
    }

    public static Endpoint parse(String text) {
        String trimmed = text.strip();
        if (trimmed.startsWith("https://") || trimmed.startsWith("unixs://")) {
            throw new IllegalArgumentException("endpoint " + trimmed + ": TLS is not supported by the load generator");
        }
        String withScheme = trimmed.contains("://") ? trimmed : "http://" + trimmed;
        try {
            URI uri = new URI(withScheme);
            if (!"http".equals(uri.getScheme())) {
                throw new IllegalArgumentException("endpoint " + trimmed + ": unsupported scheme " + uri.getScheme());
            }
            if (uri.getHost() == null || uri.getPort() < 0) {
                throw new IllegalArgumentException("endpoint " + trimmed + ": expected host:port");
            }
            return new Endpoint(uri.getHost(), uri.getPort());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("endpoint " + trimmed + ": " + e.getMessage(), e);
        }
    }

    public String url() {
        return "http://" + host + ":" + port;
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
