package dev.consensus.store.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.consensus.store.testing.LoopbackPorts;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every endpoint over real HTTP on loopback, answering as etcd 3.5 does, with a fake health check. */
class MetricsHttpServerTest {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    /** The server's side, as a test sets it: a status to report, and optionally a hang. */
    private static final class FakeHealth implements HealthCheck {
        volatile HealthStatus status = HealthStatus.healthy();
        volatile HealthStatus linearizableStatus; // when set, answers linearizable reads
        volatile boolean hang;
        final CountDownLatch release = new CountDownLatch(1);
        final List<Boolean> calls = new CopyOnWriteArrayList<>();

        @Override
        public HealthStatus check(boolean serializable) {
            calls.add(serializable);
            if (hang) {
                try {
                    release.await(1, TimeUnit.MINUTES); // bounded even if a test forgets to release
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return !serializable && linearizableStatus != null ? linearizableStatus : status;
        }
    }

    private final FakeHealth health = new FakeHealth();
    private final MetricRegistry registry = new MetricRegistry();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT).build();
    private MetricsHttpServer server;

    private URI start(Duration checkTimeout) {
        server = MetricsHttpServer.start(List.of(URI.create("http://" + LoopbackPorts.HOST + ":0")), registry, health,
                checkTimeout);
        return server.urls().get(0);
    }

    private URI start() {
        return start(Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() {
        health.release.countDown();
        if (server != null) {
            server.close();
        }
        client.close();
    }

    private HttpResponse<String> get(URI base, String pathAndQuery) throws Exception {
        return send(HttpRequest.newBuilder(base.resolve(pathAndQuery)).GET());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.timeout(REQUEST_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void metricsAreServedInTheTextFormat() throws Exception {
        registry.gauge("etcd_server_has_leader", "Whether a leader exists.").set(1);
        URI base = start();

        HttpResponse<String> response = get(base, "/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(Exposition.parse(response.body()).value("etcd_server_has_leader")).isEqualTo(1);
    }

    @Test
    void healthyIs200WithEtcdsJson() throws Exception {
        URI base = start();

        HttpResponse<String> response = get(base, "/health");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"health\":\"true\",\"reason\":\"\"}");
        assertThat(health.calls).containsExactly(false);
    }

    @Test
    void noLeaderIs503UnlessSerializable() throws Exception {
        health.status = HealthStatus.healthy().withLeader(false);
        URI base = start();

        HttpResponse<String> linearizable = get(base, "/health");
        HttpResponse<String> serializable = get(base, "/health?serializable=true");

        assertThat(linearizable.statusCode()).isEqualTo(503);
        assertThat(linearizable.body()).isEqualTo("{\"health\":\"false\",\"reason\":\"RAFT NO LEADER\"}\n");
        assertThat(serializable.statusCode()).isEqualTo(200);
        assertThat(health.calls).containsExactly(false, true);
    }

    @Test
    void anAlarmIs503UnlessExcluded() throws Exception {
        health.status = HealthStatus.healthy().withAlarms(Alarm.NOSPACE);
        URI base = start();

        HttpResponse<String> alarmed = get(base, "/health");
        HttpResponse<String> excluded = get(base, "/health?exclude=NOSPACE&serializable=true");

        assertThat(alarmed.statusCode()).isEqualTo(503);
        assertThat(alarmed.body()).isEqualTo("{\"health\":\"false\",\"reason\":\"ALARM NOSPACE\"}\n");
        assertThat(excluded.statusCode()).isEqualTo(200);

        health.status = HealthStatus.healthy().withAlarms(Alarm.CORRUPT, Alarm.NOSPACE);
        assertThat(get(base, "/health?exclude=NOSPACE").body()).contains("\"reason\":\"ALARM CORRUPT\"");
    }

    @Test
    void aFailedReadIsARangeError() throws Exception {
        health.status = HealthStatus.healthy().withReadError("etcdserver: \"quoted\" <failure>");
        URI base = start();

        HttpResponse<String> response = get(base, "/health");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).isEqualTo("{\"health\":\"false\",\"reason\":"
                + "\"RANGE ERROR:etcdserver: \\\"quoted\\\" \\u003cfailure\\u003e\"}\n");
    }

    @Test
    void aCheckThatDoesNotAnswerInTimeIsUnhealthyAndIsNotStartedAgainWhileItHangs() throws Exception {
        health.hang = true;
        URI base = start(Duration.ofMillis(200));

        HttpResponse<String> first = get(base, "/health");
        HttpResponse<String> second = get(base, "/health");
        HttpResponse<String> livez = get(base, "/livez");

        assertThat(first.statusCode()).isEqualTo(503);
        assertThat(first.body()).isEqualTo("{\"health\":\"false\",\"reason\":\"RANGE ERROR:etcdserver: request timed out\"}\n");
        assertThat(second.statusCode()).isEqualTo(503);
        assertThat(livez.statusCode()).isEqualTo(503);
        assertThat(livez.body()).isEqualTo("[-]serializable_read failed: etcdserver: request timed out\n\n");
        // One linearizable check (joined by the second request) and one serializable check.
        assertThat(health.calls).containsExactlyInAnyOrder(false, true);
        // /metrics does not wait for health checks.
        assertThat(get(base, "/metrics").statusCode()).isEqualTo(200);
    }

    @Test
    void aCheckThatThrowsIsUnhealthyWithItsMessage() throws Exception {
        server = MetricsHttpServer.start(List.of(URI.create("http://127.0.0.1:0")), new MetricRegistry(),
                serializable -> {
                    throw new IllegalStateException("server is stopping");
                }, Duration.ofSeconds(10));

        HttpResponse<String> response = get(server.urls().get(0), "/health");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).contains("\"reason\":\"RANGE ERROR:server is stopping\"");
    }

    @Test
    void livezIsOkWhenTheLocalReadWorks() throws Exception {
        health.status = HealthStatus.healthy().withLeader(false).withAlarms(Alarm.NOSPACE);
        URI base = start();

        HttpResponse<String> plain = get(base, "/livez");
        HttpResponse<String> verbose = get(base, "/livez?verbose");
        HttpResponse<String> one = get(base, "/livez/serializable_read");

        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(plain.body()).isEqualTo("ok\n");
        assertThat(verbose.body()).isEqualTo("[+]serializable_read ok\nok\n");
        assertThat(one.body()).isEqualTo("ok\n");
        assertThat(health.calls).containsOnly(true);
    }

    @Test
    void readyzListsEveryCheckWhenOneFails() throws Exception {
        health.status = HealthStatus.healthy().asLearner(true);
        URI base = start();

        HttpResponse<String> learner = get(base, "/readyz");

        assertThat(learner.statusCode()).isEqualTo(503);
        assertThat(learner.body()).isEqualTo("""
                [+]data_corruption ok
                [+]serializable_read ok
                [+]linearizable_read ok
                [-]non_learner failed: not supported for learner

                """);
        assertThat(get(base, "/readyz?exclude=non_learner").statusCode()).isEqualTo(200);
        assertThat(get(base, "/readyz?exclude=non_learner&exclude=no_such_check&verbose").body()).isEqualTo("""
                [+]data_corruption ok
                [+]serializable_read ok
                [+]linearizable_read ok
                ok
                """);
    }

    @Test
    void readyzFailsOnCorruptionAndOnALinearizableReadThatFails() throws Exception {
        health.status = HealthStatus.healthy().withAlarms(Alarm.CORRUPT);
        health.linearizableStatus = HealthStatus.healthy().withLeader(false).withReadError("etcdserver: no leader");
        URI base = start();

        HttpResponse<String> all = get(base, "/readyz");
        HttpResponse<String> linearizable = get(base, "/readyz/linearizable_read");
        HttpResponse<String> serializable = get(base, "/readyz/serializable_read");

        assertThat(all.statusCode()).isEqualTo(503);
        assertThat(all.body()).contains("[-]data_corruption failed: alarm activated: CORRUPT\n")
                .contains("[-]linearizable_read failed: etcdserver: no leader\n");
        assertThat(linearizable.statusCode()).isEqualTo(503);
        assertThat(linearizable.body()).isEqualTo("[-]linearizable_read failed: etcdserver: no leader\n\n");
        assertThat(serializable.statusCode()).isEqualTo(200);
    }

    @Test
    void healthChecksAreCountedInTheMetrics() throws Exception {
        URI base = start();
        get(base, "/health");
        health.status = HealthStatus.healthy().withLeader(false);
        get(base, "/health");
        get(base, "/livez");

        Exposition parsed = Exposition.parse(get(base, "/metrics").body());

        assertThat(parsed.value("etcd_server_health_success")).isEqualTo(1);
        assertThat(parsed.value("etcd_server_health_failures")).isEqualTo(1);
        assertThat(parsed.family("etcd_server_healthcheck")
                .sample("etcd_server_healthcheck", Map.of("name", "serializable_read", "type", "livez")).value())
                .isEqualTo(1);
        assertThat(parsed.family("etcd_server_healthchecks_total").sample("etcd_server_healthchecks_total",
                Map.of("name", "serializable_read", "status", "success", "type", "livez")).value()).isEqualTo(1);
    }

    @Test
    void otherMethodsAndPathsGetGosAnswers() throws Exception {
        URI base = start();

        HttpResponse<String> post = send(HttpRequest.newBuilder(base.resolve("/health"))
                .POST(HttpRequest.BodyPublishers.ofString("x")));
        HttpResponse<String> missing = get(base, "/healthz");
        HttpResponse<String> unknownCheck = get(base, "/readyz/no_such_check");

        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET");
        assertThat(post.body()).isEqualTo("Method Not Allowed\n");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).isEqualTo("404 page not found\n");
        assertThat(unknownCheck.statusCode()).isEqualTo(404);
        assertThat(health.calls).isEmpty();
    }

    @Test
    void everyUrlIsServed() throws Exception {
        server = MetricsHttpServer.start(List.of(URI.create("http://127.0.0.1:0"), URI.create("http://127.0.0.2:0")),
                registry, health, Duration.ofSeconds(10));

        assertThat(server.urls()).hasSize(2);
        for (URI url : server.urls()) {
            assertThat(get(url, "/health").statusCode()).as(url.toString()).isEqualTo(200);
        }
    }

    @Test
    void badUrlsAndTakenPortsAreRefusedInEtcdsWords() throws Exception {
        assertThatThrownBy(() -> MetricsHttpServer.start(List.of(URI.create("https://127.0.0.1:0")), registry, health,
                Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("https is not supported yet");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName(LoopbackPorts.HOST))) {
            URI url = URI.create("http://127.0.0.1:" + taken.getLocalPort());
            assertThatThrownBy(() -> MetricsHttpServer.start(List.of(url), new MetricRegistry(), health,
                    Duration.ofSeconds(1))).isInstanceOf(UncheckedIOException.class)
                    .hasMessage("listen tcp 127.0.0.1:" + taken.getLocalPort() + ": bind: address already in use");
        }
    }

    @Test
    void theRequestTimeoutIsEtcds() {
        assertThat(MetricsHttpServer.etcdRequestTimeout(1000)).isEqualTo(Duration.ofSeconds(7));
    }
}
