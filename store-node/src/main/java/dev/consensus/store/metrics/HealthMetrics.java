package dev.consensus.store.metrics;

import java.util.HashMap;
import java.util.Map;

/**
 * etcd's metrics about its own health endpoints: {@code etcd_server_health_success} and
 * {@code etcd_server_health_failures} count {@code /health} answers, and per check of
 * {@code /livez} and {@code /readyz}, {@code etcd_server_healthcheck} holds the last result
 * (1 ok, 0 failed) and {@code etcd_server_healthchecks_total} counts results by status.
 *
 * <p>The per-check series appear on a check's first run, as etcd's do, so a 0 never means
 * "not yet checked".
 */
final class HealthMetrics {

    private static final String CHECK_GAUGE = "etcd_server_healthcheck";
    private static final String CHECK_GAUGE_HELP = "The last result of each health check: 1 passed, 0 failed.";
    private static final String CHECK_COUNTER = "etcd_server_healthchecks_total";
    private static final String CHECK_COUNTER_HELP = "Number of runs of each health check, by result.";

    private final MetricRegistry registry;
    private final Counter success;
    private final Counter failures;
    private final Map<String, Gauge> gauges = new HashMap<>();
    private final Map<String, Counter> counters = new HashMap<>();

    HealthMetrics(MetricRegistry registry) {
        this.registry = registry;
        success = registry.counter("etcd_server_health_success", "Number of /health answers that were healthy.");
        failures = registry.counter("etcd_server_health_failures", "Number of /health answers that were unhealthy.");
    }

    void health(boolean healthy) {
        (healthy ? success : failures).inc();
    }

    synchronized void check(String type, String name, boolean passed) {
        gauges.computeIfAbsent(type + "/" + name,
                        key -> registry.gauge(CHECK_GAUGE, CHECK_GAUGE_HELP, Map.of("type", type, "name", name)))
                .set(passed);
        String status = passed ? "success" : "error";
        counters.computeIfAbsent(type + "/" + name + "/" + status,
                        key -> registry.counter(CHECK_COUNTER, CHECK_COUNTER_HELP,
                                Map.of("type", type, "name", name, "status", status)))
                .inc();
    }
}
