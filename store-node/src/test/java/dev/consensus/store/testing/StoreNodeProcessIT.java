package dev.consensus.store.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.consensus.store.cli.StoreNodeVersion;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The store-node fixture runs the packaged jar as a real process, with the flags and environment given. */
class StoreNodeProcessIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    final ProcessCleanup cleanup = new ProcessCleanup();

    @TempDir
    Path dir;

    @Test
    void thePackagedJarRunsAndItsOutputIsLogged() {
        StoreNodeProcess node = cleanup.track(StoreNodeProcess.start(dir, "--version"));

        assertThat(node.awaitExit(WAIT)).isZero();
        assertThat(node.log()).isEqualTo(StoreNodeVersion.text());
        assertThat(node.logFile()).isEqualTo(node.directory().resolve("store-node.log"));
        assertThat(node.directory().getParent()).isEqualTo(dir);
    }

    @Test
    void aBadFlagExitsTwoWithEtcdsMessage() {
        StoreNodeProcess node = cleanup.track(StoreNodeProcess.start(dir, "-bogus"));

        assertThat(node.awaitExit(WAIT)).isEqualTo(2);
        assertThat(node.log()).isEqualTo("store-node: flag provided but not defined: -bogus\n"
                + "See 'store-node --help'.\n");
    }

    @Test
    void theEnvironmentGivenReachesTheMember() {
        List<Integer> ports = LoopbackPorts.pick(2);
        String peer = "http://127.0.0.1:" + ports.get(1);
        String client = "http://127.0.0.1:" + ports.get(0);
        StoreNodeProcess node = cleanup.track(StoreNodeProcess.builder(dir)
                .args("-name", "n1", "--data-dir", dir.resolve("n1-data").toString())
                .env("ETCD_INITIAL_CLUSTER", "n1=" + peer)
                .env("ETCD_INITIAL_ADVERTISE_PEER_URLS", peer)
                .env("ETCD_LISTEN_PEER_URLS", peer)
                .env("ETCD_LISTEN_CLIENT_URLS", client)
                .env("ETCD_ADVERTISE_CLIENT_URLS", client)
                .start());

        node.awaitPort(ports.get(0), WAIT);
        assertThat(node.log()).contains("name = n1\n").contains("initial cluster = n1=" + peer + "\n");
        // SIGTERM: the member closes cleanly, then exits by the signal (128 + 15), as etcd does
        // after its own shutdown handlers re-raise it.
        node.terminate();
        assertThat(node.awaitExit(WAIT)).isEqualTo(143);
        assertThat(node.log()).contains("stopped (CLOSED)");
    }

    @Test
    void aRunningMemberServesHealthAndEtcdsMetricsOnItsMetricsUrl() throws Exception {
        List<Integer> ports = LoopbackPorts.pick(3);
        String peer = "http://127.0.0.1:" + ports.get(1);
        String client = "http://127.0.0.1:" + ports.get(0);
        String metrics = "http://127.0.0.1:" + ports.get(2);
        StoreNodeProcess node = cleanup.track(StoreNodeProcess.builder(dir).args(
                "--name", "solo", "--data-dir", dir.resolve("solo-data").toString(),
                "--listen-client-urls", client, "--advertise-client-urls", client,
                "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                "--initial-cluster", "solo=" + peer, "--listen-metrics-urls", metrics).start());
        node.awaitPort(ports.get(2), WAIT);
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpResponse<String> health = Awaitility.await("the member to report healthy").atMost(WAIT)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(metrics + "/health"))
                        .timeout(WAIT).build(), java.net.http.HttpResponse.BodyHandlers.ofString()),
                        r -> r.statusCode() == 200);
        assertThat(health.body()).contains("\"health\":\"true\"");
        String text = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(metrics + "/metrics"))
                .timeout(WAIT).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        assertThat(text).contains("etcd_server_has_leader 1").contains("etcd_server_is_leader 1")
                .contains("etcd_disk_wal_fsync_duration_seconds_bucket")
                .contains("etcd_server_proposals_committed_total")
                .containsPattern("etcd_mvcc_db_total_size_in_bytes [1-9]");
    }
}
