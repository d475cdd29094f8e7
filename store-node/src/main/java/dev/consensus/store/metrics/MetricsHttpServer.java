package dev.consensus.store.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The HTTP listener of {@code --listen-metrics-urls}: {@code /metrics} in Prometheus text
 * format, and etcd 3.5's {@code /health}, {@code /livez} and {@code /readyz} (see
 * {@link HealthEndpoints}).
 *
 * <p>Why the JDK's server: four read-only endpoints need no framework. Promises: one listener
 * per URL, all serving the same registry and health check; every request is answered, within
 * the check timeout for health endpoints, whatever state the member is in; a failure inside a
 * handler becomes a 500, never a dropped connection. Plain {@code http} only: an {@code https}
 * URL is refused at start with a message saying so.
 */
public final class MetricsHttpServer implements AutoCloseable {

    private final List<HttpServer> servers;
    private final List<URI> urls;
    private final ExecutorService requests;
    private final BoundedHealthCheck health;

    private MetricsHttpServer(List<HttpServer> servers, List<URI> urls, ExecutorService requests,
            BoundedHealthCheck health) {
        this.servers = servers;
        this.urls = urls;
        this.requests = requests;
        this.health = health;
    }

    /**
     * etcd's timeout for a request, and so for a health check: 5 s plus two election timeouts
     * (7 s with the default {@code --election-timeout=1000}).
     */
    public static Duration etcdRequestTimeout(long electionTimeoutMs) {
        return Duration.ofSeconds(5).plusMillis(2 * electionTimeoutMs);
    }

    /**
     * Binds every URL and starts serving.
     *
     * @param urls {@code http://host:port} URLs; port 0 picks a free port (see {@link #urls()})
     * @param registry what {@code /metrics} renders; the health endpoints' own counters are
     *     added to it
     * @param check the server's health facts
     * @param checkTimeout how long a health request waits for {@code check} before answering
     *     unhealthy
     * @throws IllegalArgumentException for a URL that is not {@code http://host:port}
     * @throws UncheckedIOException when a URL cannot be bound, in etcd's words
     *     ({@code listen tcp 127.0.0.1:2381: bind: address already in use})
     */
    public static MetricsHttpServer start(List<URI> urls, MetricRegistry registry, HealthCheck check,
            Duration checkTimeout) {
        for (URI url : urls) {
            checkUrl(url);
        }
        BoundedHealthCheck bounded = new BoundedHealthCheck(check, checkTimeout);
        // Virtual threads: a request waiting on a stuck health check holds no platform thread,
        // so /metrics keeps answering while probes wait.
        ExecutorService requests = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("metrics-http-", 0).factory());
        Router router = new Router(registry, new HealthEndpoints(bounded, new HealthMetrics(registry)));
        List<HttpServer> servers = new ArrayList<>();
        List<URI> bound = new ArrayList<>();
        try {
            for (URI url : urls) {
                HttpServer server = bind(url);
                server.setExecutor(requests);
                server.createContext("/", router::handle);
                server.start();
                servers.add(server);
                bound.add(URI.create("http://" + url.getHost() + ":" + server.getAddress().getPort()));
            }
        } catch (RuntimeException e) {
            servers.forEach(server -> server.stop(0));
            requests.shutdownNow();
            bounded.close();
            throw e;
        }
        return new MetricsHttpServer(List.copyOf(servers), List.copyOf(bound), requests, bounded);
    }

    private static void checkUrl(URI url) {
        if ("https".equals(url.getScheme())) {
            throw new IllegalArgumentException("--listen-metrics-urls: https is not supported yet, only http: " + url);
        }
        if (!"http".equals(url.getScheme()) || url.getHost() == null || url.getPort() < 0) {
            throw new IllegalArgumentException("--listen-metrics-urls: want http://host:port, got " + url);
        }
    }

    private static HttpServer bind(URI url) {
        String host = url.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        InetSocketAddress address = new InetSocketAddress(host, url.getPort());
        try {
            return HttpServer.create(address, 0);
        } catch (BindException e) {
            String why = e.getMessage() == null ? "bind failed" : e.getMessage().toLowerCase(Locale.ROOT);
            throw new UncheckedIOException("listen tcp " + url.getHost() + ":" + url.getPort() + ": bind: " + why, e);
        } catch (IOException e) {
            throw new UncheckedIOException("listen tcp " + url.getHost() + ":" + url.getPort() + ": " + e.getMessage(), e);
        }
    }

    /** The URLs served, with the ports actually bound, in the order given. */
    public List<URI> urls() {
        return urls;
    }

    /** Stops listening at once and abandons health checks still running. */
    @Override
    public void close() {
        servers.forEach(server -> server.stop(0));
        requests.shutdownNow();
        health.close();
    }

    /** Sends each path to its endpoint; Go's ServeMux matches these paths exactly, as here. */
    private record Router(MetricRegistry registry, HealthEndpoints health) {

        void handle(HttpExchange exchange) throws IOException {
            try (exchange; InputStream ignored = exchange.getRequestBody()) {
                HttpAnswer answer;
                try {
                    answer = route(exchange.getRequestMethod(), exchange.getRequestURI());
                } catch (RuntimeException e) {
                    answer = HttpAnswer.error(500, "internal error: " + e);
                }
                send(exchange, answer);
            }
        }

        private HttpAnswer route(String method, URI uri) {
            String path = uri.getPath();
            Query query = Query.parse(uri.getRawQuery());
            boolean get = "GET".equals(method);
            if ("/metrics".equals(path)) {
                return get || "HEAD".equals(method)
                        ? HttpAnswer.ok(TextFormat.CONTENT_TYPE, registry.scrape())
                        : HttpAnswer.methodNotAllowed("GET, HEAD");
            }
            if (!isHealthPath(path)) {
                return HttpAnswer.notFound();
            }
            if (!get) {
                return HttpAnswer.methodNotAllowed("GET");
            }
            if ("/health".equals(path)) {
                return health.health(query);
            }
            String type = path.startsWith("/livez") ? "livez" : "readyz";
            List<String> checks = type.equals("livez") ? HealthEndpoints.LIVEZ : HealthEndpoints.READYZ;
            String root = "/" + type;
            String only = path.equals(root) ? null : path.substring(root.length() + 1);
            return health.probe(type, checks, only, query);
        }

        private static boolean isHealthPath(String path) {
            if (path.equals("/health") || path.equals("/livez") || path.equals("/readyz")) {
                return true;
            }
            return HealthEndpoints.LIVEZ.stream().anyMatch(check -> path.equals("/livez/" + check))
                    || HealthEndpoints.READYZ.stream().anyMatch(check -> path.equals("/readyz/" + check));
        }

        private static void send(HttpExchange exchange, HttpAnswer answer) throws IOException {
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", answer.contentType());
            exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            if (answer.allow() != null) {
                exchange.getResponseHeaders().set("Allow", answer.allow());
            }
            boolean head = "HEAD".equals(exchange.getRequestMethod());
            // -1: no body. (0 would announce a chunked body of unknown length.)
            exchange.sendResponseHeaders(answer.status(), head || body.length == 0 ? -1 : body.length);
            if (!head && body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }
}
