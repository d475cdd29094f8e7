package dev.consensus.operator.runtime;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/**
 * The operator's HTTP port: {@code /healthz} (the process runs), {@code /readyz} (the operator has
 * started and its informers are healthy) and {@code /metrics} (Prometheus).
 */
public final class ProbeServer implements AutoCloseable {

  private final HttpServer server;

  public ProbeServer(InetSocketAddress address, BooleanSupplier ready, OperatorMetrics metrics) throws IOException {
    server = HttpServer.create(address, 16);
    server.createContext("/healthz", ex -> respond(ex, 200, "ok\n", "text/plain"));
    server.createContext("/readyz", ex -> {
      boolean ok = ready.getAsBoolean();
      respond(ex, ok ? 200 : 503, ok ? "ok\n" : "not ready\n", "text/plain");
    });
    server.createContext("/metrics", ex -> respond(ex, 200, metrics.scrape(), "text/plain; version=0.0.4"));
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void respond(HttpExchange exchange, int code, String body, String type) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
