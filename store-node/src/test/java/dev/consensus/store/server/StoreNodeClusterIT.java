package dev.consensus.store.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.consensus.store.testing.EtcdBinaries;
import dev.consensus.store.testing.Etcdctl;
import dev.consensus.store.testing.EtcdctlResult;
import dev.consensus.store.testing.LoopbackPorts;
import dev.consensus.store.testing.ProcessCleanup;
import dev.consensus.store.testing.StoreNodeCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real store-node processes on loopback with etcd's default timing (heartbeat 100 ms,
 * election 1 s), driven by Debian's etcdctl; members are killed with SIGKILL.
 */
class StoreNodeClusterIT {

    private static final Duration LEADER_WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    final ProcessCleanup cleanup = new ProcessCleanup();

    @TempDir
    Path dir;

    private StoreNodeCluster cluster;
    private final ProcessClusterClient client = new ProcessClusterClient();

    @BeforeEach
    void start() throws Exception {
        Files.createDirectories(dir.resolve("etcdctl"));
        cluster = new StoreNodeCluster(dir, cleanup).start(3);
        client.awaitLeader(cluster.members(), LEADER_WAIT);
    }

    @AfterEach
    void stop() {
        client.close();
        cluster.close();
    }

    private Etcdctl etcdctl(String endpoints) {
        return new Etcdctl(EtcdBinaries.locate().etcdctl(), endpoints, dir.resolve("etcdctl"));
    }

    @Test
    void etcdctlSeesAThreeMemberClusterWithOneLeaderAndWritesCommitOnEveryMember() {
        String table = etcdctl(cluster.endpoints()).run("endpoint", "status", "-w", "table").requireSuccess().stdout();
        List<String> rows = table.lines().filter(l -> l.startsWith("| http://")).toList();
        assertThat(rows).hasSize(3);
        assertThat(rows.stream().filter(r -> r.matches(".*\\|\\s+true \\|\\s+false \\|.*"))).hasSize(1);
        assertThat(etcdctl(cluster.endpoints("m0")).run("put", "k", "v").requireSuccess().stdout()).isEqualTo("OK\n");
        for (StoreNodeCluster.Member m : cluster.members()) {
            assertThat(etcdctl(m.clientUrl()).run("get", "k").requireSuccess().stdout()).isEqualTo("k\nv\n");
        }
    }

    @Test
    void killingTheLeaderElectsANewOneAndLosesNoAcknowledgedWrite() {
        Etcdctl all = etcdctl(cluster.endpoints());
        for (int i = 0; i < 20; i++) {
            all.run("put", "key" + i, "value" + i).requireSuccess();
        }
        StoreNodeCluster.Member leader = client.awaitLeader(cluster.members(), LEADER_WAIT);
        List<StoreNodeCluster.Member> survivors = cluster.members().stream().filter(m -> m != leader).toList();
        cluster.kill(leader.name());
        StoreNodeCluster.Member next = client.awaitLeader(survivors, LEADER_WAIT);
        assertThat(next).isNotSameAs(leader);
        // The survivors saw the leader's connection go, rather than waiting out an election timeout.
        for (StoreNodeCluster.Member m : survivors) {
            assertThat(m.process().log()).as("%s's log", m.name()).contains("lost its connection to leader");
        }
        String survivorsEndpoints = String.join(",", survivors.stream().map(StoreNodeCluster.Member::clientUrl).toList());
        String keys = etcdctl(survivorsEndpoints).run("get", "key", "--prefix", "--keys-only").requireSuccess().stdout();
        assertThat(keys.lines().filter(l -> !l.isEmpty())).hasSize(20);

        cluster.restart(leader.name());
        etcdctl(survivorsEndpoints).run("put", "after", "restart").requireSuccess();
        awaitOutput(etcdctl(leader.clientUrl()), "after\nrestart\n", "get", "after", "--consistency=s");
    }

    @Test
    void losingAMajorityFailsWritesAndLinearizableReadsButNotSerializableReadsAndRecovers() {
        etcdctl(cluster.endpoints()).run("put", "k", "before").requireSuccess();
        cluster.kill("m1");
        cluster.kill("m2");
        Etcdctl lone = etcdctl(cluster.member("m0").clientUrl());
        // Check-quorum makes a lone leader step down within an election timeout; then every write
        // and linearizable read is refused at once.
        awaitError(lone, "etcdserver: no leader", "put", "k", "during");
        EtcdctlResult read = lone.run("get", "k");
        assertThat(read.exitCode()).isNotZero();
        assertThat(read.stderr()).contains("etcdserver: no leader");
        assertThat(lone.run("get", "k", "--consistency=s").requireSuccess().stdout()).isEqualTo("k\nbefore\n");

        cluster.restart("m1");
        cluster.restart("m2");
        client.awaitLeader(cluster.members(), LEADER_WAIT);
        awaitOutput(etcdctl(cluster.endpoints()), "OK\n", "put", "k", "after");
        assertThat(lone.run("get", "k").requireSuccess().stdout()).isEqualTo("k\nafter\n");
    }

    @Test
    void aMemberOfAnotherClusterIsRefused() throws Exception {
        StoreNodeCluster.Member m0 = cluster.member("m0");
        List<Integer> ports = LoopbackPorts.pick(2);
        String strangerPeer = "http://127.0.0.1:" + ports.get(1);
        // A misconfigured member of another cluster (other token, so another cluster id) that
        // believes m0 is its peer: m0 must refuse it and carry on.
        cleanup.track(dev.consensus.store.testing.StoreNodeProcess.builder(dir).args(
                "--name", "stranger", "--data-dir", dir.resolve("stranger").toString(),
                "--listen-client-urls", "http://127.0.0.1:" + ports.get(0),
                "--advertise-client-urls", "http://127.0.0.1:" + ports.get(0),
                "--listen-peer-urls", strangerPeer, "--initial-advertise-peer-urls", strangerPeer,
                "--initial-cluster", "stranger=" + strangerPeer + ",m0=" + m0.peerUrl(),
                "--initial-cluster-token", "another-cluster").start());
        Awaitility.await("m0 to refuse the stranger").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(m0.process().log()).contains("cluster ID mismatch"));
        String members = etcdctl(cluster.endpoints()).run("member", "list").requireSuccess().stdout();
        assertThat(members.lines().toList()).hasSize(3).noneMatch(l -> l.contains("stranger"));
        etcdctl(cluster.endpoints()).run("put", "still", "fine").requireSuccess();
    }

    private static void awaitOutput(Etcdctl ctl, String expected, String... args) {
        Awaitility.await("etcdctl " + String.join(" ", args) + " to print " + expected)
                .atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> ctl.run(args), r -> r.exitCode() == 0 && r.stdout().equals(expected));
    }

    private static void awaitError(Etcdctl ctl, String error, String... args) {
        Awaitility.await("etcdctl " + String.join(" ", args) + " to fail with " + error)
                .atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> ctl.run(args), r -> r.exitCode() != 0 && r.stderr().contains(error));
    }
}
