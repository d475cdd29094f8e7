package dev.consensus.store.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.consensus.store.testing.EtcdBinaries;
import dev.consensus.store.testing.Etcdctl;
import dev.consensus.store.testing.EtcdctlResult;
import dev.consensus.store.testing.ProcessCleanup;
import dev.consensus.store.testing.StoreNodeCluster;
import dev.consensus.store.testing.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Client and peer TLS on real processes, with certificates the test makes: members talk to each
 * other over mutual TLS, etcdctl with a client certificate is served, without one it is refused,
 * and a keep-alive sent to a follower reaches the leader over TLS.
 */
class TlsClusterIT {

    @RegisterExtension
    final ProcessCleanup cleanup = new ProcessCleanup();

    @TempDir
    Path dir;

    @Test
    void aClusterWithClientAndPeerTlsServesCertifiedClientsOnlyAndForwardsToTheLeaderOverTls() throws Exception {
        TestCertificates ca = TestCertificates.authority(Files.createDirectories(dir.resolve("pki")), "test-ca");
        TestCertificates.Issued user = ca.issue("etcdctl-user");
        Files.createDirectories(dir.resolve("out"));
        try (StoreNodeCluster cluster = new StoreNodeCluster(dir, cleanup).withTls(ca).start(3)) {
            Path etcdctl = EtcdBinaries.locate().etcdctl();
            String[] tls = {"--cacert=" + ca.caFile(), "--cert=" + user.certFile(), "--key=" + user.keyFile()};
            Etcdctl all = new Etcdctl(etcdctl, cluster.endpoints(), dir.resolve("out"));

            EtcdctlResult status = awaitHealthy(all, tls);
            assertThat(status.stdout().lines().filter(l -> l.startsWith("| https://"))).hasSize(3);
            assertThat(all.run(with(tls, "put", "secure", "yes")).requireSuccess().stdout()).isEqualTo("OK\n");
            for (StoreNodeCluster.Member m : cluster.members()) {
                assertThat(new Etcdctl(etcdctl, m.clientUrl(), dir.resolve("out")).run(with(tls, "get", "secure"))
                        .requireSuccess().stdout()).isEqualTo("secure\nyes\n");
            }
            // A lease kept alive through every member: followers forward it to the leader over TLS.
            String granted = all.run(with(tls, "lease", "grant", "60")).requireSuccess().stdout();
            String lease = granted.split(" ")[1];
            for (StoreNodeCluster.Member m : cluster.members()) {
                assertThat(new Etcdctl(etcdctl, m.clientUrl(), dir.resolve("out"))
                        .run(with(tls, "lease", "keep-alive", "--once", lease)).requireSuccess().stdout())
                        .isEqualTo("lease " + lease + " keepalived with TTL(60)\n");
            }

            EtcdctlResult noCert = all.run("--cacert=" + ca.caFile(), "put", "insecure", "no");
            assertThat(noCert.exitCode()).isNotZero();
        }
    }

    private static String[] with(String[] tls, String... args) {
        String[] all = new String[tls.length + args.length];
        System.arraycopy(tls, 0, all, 0, tls.length);
        System.arraycopy(args, 0, all, tls.length, args.length);
        return all;
    }

    /** The members elect a leader over peer TLS; status then shows one. */
    private static EtcdctlResult awaitHealthy(Etcdctl all, String[] tls) {
        return Awaitility.await("a leader over TLS").atMost(java.time.Duration.ofSeconds(30))
                .pollInterval(java.time.Duration.ofMillis(200))
                .until(() -> all.run(with(tls, "endpoint", "status", "-w", "table")), r -> r.exitCode() == 0
                        && r.stdout().lines().anyMatch(l -> l.matches(".*\\|\\s+true \\|\\s+false \\|.*")));
    }
}
