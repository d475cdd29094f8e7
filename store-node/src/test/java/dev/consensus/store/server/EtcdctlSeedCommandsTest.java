package dev.consensus.store.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.consensus.store.testing.EtcdBinaries;
import dev.consensus.store.testing.Etcdctl;
import dev.consensus.store.testing.EtcdctlResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's etcdctl 3.4 against a 3-member cluster of our server (in this JVM, real gRPC on
 * loopback): every command of the seed walkthroughs, checked for what etcd prints.
 */
class EtcdctlSeedCommandsTest {

    @TempDir
    Path dir;

    private InProcessCluster cluster;
    private Etcdctl all;
    private Etcdctl first;

    @BeforeEach
    void start() throws Exception {
        Files.createDirectories(dir.resolve("out"));
    }

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private void startCluster() throws Exception {
        cluster = new InProcessCluster(dir.resolve("cluster")).start(3);
        cluster.awaitLeader();
        for (InProcessCluster.Node n : cluster.nodes()) {
            InProcessCluster.await(() -> n.server().cluster().members().values().stream().allMatch(m -> !m.clientUrls().isEmpty()),
                    Duration.ofSeconds(10), "every member to publish its client URLs");
        }
        all = new Etcdctl(EtcdBinaries.locate().etcdctl(), cluster.endpoints(), dir.resolve("out"));
        first = new Etcdctl(EtcdBinaries.locate().etcdctl(), cluster.nodes().get(0).clientUrl().toString(), dir.resolve("out"));
    }

    @Test
    void endpointStatusAndHealthAndMemberList() throws Exception {
        startCluster();
        {
            String table = all.run("endpoint", "status", "-w", "table").requireSuccess().stdout();
            assertThat(table).contains("|        ENDPOINT        |  ID  | VERSION | DB SIZE | IS LEADER | IS LEARNER "
                    + "| RAFT TERM | RAFT INDEX | RAFT APPLIED INDEX | ERRORS |");
            List<String> rows = table.lines().filter(l -> l.startsWith("| http://")).toList();
            assertThat(rows).hasSize(3);
            assertThat(rows.stream().filter(r -> r.matches(".*\\|\\s+true \\|\\s+false \\|.*"))).hasSize(1);
            assertThat(rows).allMatch(r -> r.contains(MaintenanceOperations.REPORTED_VERSION));

            EtcdctlResult health = all.run("endpoint", "health").requireSuccess();
            assertThat(health.stderr().lines().filter(l -> l.contains("is healthy: successfully committed proposal")))
                    .hasSize(3);

            String members = first.run("member", "list").requireSuccess().stdout();
            assertThat(members.lines().toList()).hasSize(3).allMatch(l -> l.matches(
                    "[0-9a-f]+, started, m[0-2], http://127\\.0\\.0\\.1:\\d+, http://127\\.0\\.0\\.1:\\d+, false"));
        }
    }

    @Test
    void putGetDelTxnWatchAndLeases() throws Exception {
        startCluster();
        {
            assertThat(first.run("put", "foo", "bar").requireSuccess().stdout()).isEqualTo("OK\n");
            assertThat(all.run("put", "foo2", "bar2").requireSuccess().stdout()).isEqualTo("OK\n");
            assertThat(first.run("get", "foo").requireSuccess().stdout()).isEqualTo("foo\nbar\n");
            assertThat(first.run("get", "foo", "--prefix").requireSuccess().stdout()).isEqualTo("foo\nbar\nfoo2\nbar2\n");
            assertThat(first.run("put", "foo", "baz").requireSuccess().stdout()).isEqualTo("OK\n");
            assertThat(first.run("get", "foo", "--rev=2").requireSuccess().stdout()).isEqualTo("foo\nbar\n");
            assertThat(first.run("get", "foo", "--consistency=s").requireSuccess().stdout()).isEqualTo("foo\nbaz\n");
            assertThat(first.run("del", "foo2").requireSuccess().stdout()).isEqualTo("1\n");
            assertThat(first.runWithInput("value(\"foo\") = \"baz\"\n\nput foo qux\n\nput foo nope\n\n", "txn")
                    .requireSuccess().stdout()).isEqualTo("SUCCESS\n\nOK\n");
            assertThat(first.runFor(Duration.ofSeconds(2), "watch", "foo", "--rev=1").stdout())
                    .isEqualTo("PUT\nfoo\nbar\nPUT\nfoo\nbaz\nPUT\nfoo\nqux\n");

            String granted = first.run("lease", "grant", "30").requireSuccess().stdout();
            assertThat(granted).matches("lease [0-9a-f]+ granted with TTL\\(30s\\)\n");
            String id = granted.split(" ")[1];
            // The keep-alive is answered by the leader, forwarded there when m0 is not it.
            assertThat(first.run("lease", "keep-alive", "--once", id).requireSuccess().stdout())
                    .isEqualTo("lease " + id + " keepalived with TTL(30)\n");
            assertThat(first.run("lease", "timetolive", id).requireSuccess().stdout())
                    .matches("lease " + id + " granted with TTL\\(30s\\), remaining\\((29|30)s\\)\n");
            first.run("put", "leased", "x", "--lease=" + id).requireSuccess();
            assertThat(first.run("get", "leased").requireSuccess().stdout()).isEqualTo("leased\nx\n");
            assertThat(first.run("lease", "revoke", id).requireSuccess().stdout()).isEqualTo("lease " + id + " revoked\n");
            assertThat(first.run("get", "leased").requireSuccess().stdout()).isEmpty();
        }
    }

    @Test
    void learnerAddPromoteRemoveSnapshotAndMoveLeader() throws Exception {
        startCluster();
        {
            String added = first.run("member", "add", "m3", "--learner", "--peer-urls=http://127.0.0.1:2390")
                    .requireSuccess().stdout();
            // etcdctl prints the id as %16x in "added" and "removed": an id whose top hex digit is 0 gets a
            // leading space (1 run in 16).
            assertThat(added).matches("(?s)Member +([0-9a-f]+) added to cluster\\s+c0ffee\n\n"
                    + "ETCD_NAME=\"m3\"\nETCD_INITIAL_CLUSTER=\".*m3=http://127.0.0.1:2390\"\n"
                    + "ETCD_INITIAL_ADVERTISE_PEER_URLS=\"http://127.0.0.1:2390\"\nETCD_INITIAL_CLUSTER_STATE=\"existing\"\n");
            String learnerId = added.split(" +")[1];
            assertThat(first.run("member", "list").requireSuccess().stdout())
                    .contains(learnerId + ", unstarted, , http://127.0.0.1:2390, , true");
            // Nothing runs at that URL, so the learner cannot be in sync; a second learner is one too many.
            EtcdctlResult promote = first.run("member", "promote", learnerId);
            assertThat(promote.exitCode()).isNotZero();
            assertThat(promote.stderr()).contains("etcdserver: can only promote a learner member which is in sync with leader");
            EtcdctlResult second = first.run("member", "add", "m4", "--learner", "--peer-urls=http://127.0.0.1:2391");
            assertThat(second.stderr()).contains("etcdserver: too many learner members in cluster");
            assertThat(first.run("member", "remove", learnerId).requireSuccess().stdout())
                    .matches("Member +" + learnerId + " removed from cluster\\s+c0ffee\n");

            EtcdctlResult snapshot = first.run("snapshot", "save", dir.resolve("backup.db").toString()).requireSuccess();
            assertThat(snapshot.stdout()).isEqualTo("Snapshot saved at " + dir.resolve("backup.db") + "\n");

            InProcessCluster.Node leader = cluster.awaitLeader();
            InProcessCluster.Node target = cluster.nodes().stream().filter(n -> n != leader).findFirst().orElseThrow();
            String move = all.run("move-leader", Long.toHexString(target.server().memberId())).requireSuccess().stdout();
            assertThat(move).isEqualTo("Leadership transferred from " + Long.toHexString(leader.server().memberId())
                    + " to " + Long.toHexString(target.server().memberId()) + "\n");
            assertThat(target.server().isLeader()).isTrue();
        }
    }
}
