package dev.consensus.store.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.consensus.store.testing.EtcdBinaries;
import dev.consensus.store.testing.Etcdctl;
import dev.consensus.store.testing.ProcessCleanup;
import dev.consensus.store.testing.StoreNodeCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operations guide's backup and restore, on real processes: {@code etcdctl snapshot save}
 * from a store-node member, {@code store-node snapshot restore} for each member of a new
 * cluster, then the new cluster serves the old data.
 */
class SnapshotRestoreIT {

    private static final Duration LEADER_WAIT = Duration.ofSeconds(30);
    private static final Pattern REVISION = Pattern.compile("\"revision\":(\\d+)");

    @RegisterExtension
    final ProcessCleanup cleanup = new ProcessCleanup();

    @TempDir
    Path dir;

    @Test
    void aNewClusterRestoredFromAnEtcdctlSnapshotServesEveryKeyAndLeaseOfTheOldOne() throws Exception {
        Files.createDirectories(dir.resolve("etcdctl"));
        Files.createDirectories(dir.resolve("old"));
        Files.createDirectories(dir.resolve("new"));
        Path snapshot = dir.resolve("backup.db");
        long oldRevision;
        String leaseId;
        try (ProcessClusterClient client = new ProcessClusterClient();
                StoreNodeCluster old = new StoreNodeCluster(dir.resolve("old"), cleanup).start(3)) {
            client.awaitLeader(old.members(), LEADER_WAIT);
            Etcdctl ctl = etcdctl(old.endpoints());
            for (int i = 0; i < 20; i++) {
                ctl.run("put", "key" + i, "value" + i).requireSuccess();
            }
            leaseId = ctl.run("lease", "grant", "600").requireSuccess().stdout().split("\\s+")[1];
            ctl.run("put", "leased", "v", "--lease=" + leaseId).requireSuccess();
            oldRevision = revision(ctl.run("get", "leased", "-w", "json").requireSuccess().stdout());
            String saved = etcdctl(old.endpoints("m0")).run("snapshot", "save", snapshot.toString())
                    .requireSuccess().stdout();
            assertThat(saved).contains("Snapshot saved at " + snapshot);
        }

        try (ProcessClusterClient client = new ProcessClusterClient();
                StoreNodeCluster restored = new StoreNodeCluster(dir.resolve("new"), cleanup).withToken("restored")
                        .startRestored(snapshot, 3)) {
            client.awaitLeader(restored.members(), LEADER_WAIT);
            Etcdctl ctl = etcdctl(restored.endpoints());
            String keys = ctl.run("get", "key", "--prefix", "--keys-only").requireSuccess().stdout();
            assertThat(keys.lines().filter(l -> !l.isEmpty())).hasSize(20);
            for (StoreNodeCluster.Member m : restored.members()) {
                assertThat(etcdctl(m.clientUrl()).run("get", "key7", "--consistency=s").requireSuccess().stdout())
                        .as(m.name()).isEqualTo("key7\nvalue7\n");
            }
            assertThat(ctl.run("lease", "list").requireSuccess().stdout()).contains(leaseId);
            assertThat(ctl.run("get", "leased").requireSuccess().stdout()).isEqualTo("leased\nv\n");
            String members = ctl.run("member", "list").requireSuccess().stdout();
            assertThat(members.lines().filter(l -> !l.isEmpty())).hasSize(3)
                    .allMatch(l -> l.contains(", started, m"));
            long next = revision(ctl.run("put", "after", "restore", "-w", "json").requireSuccess().stdout());
            assertThat(next).as("revisions go on from the old cluster's").isGreaterThan(oldRevision);
        }
    }

    private Etcdctl etcdctl(String endpoints) {
        return new Etcdctl(EtcdBinaries.locate().etcdctl(), endpoints, dir.resolve("etcdctl"));
    }

    private static long revision(String json) {
        Matcher m = REVISION.matcher(json);
        assertThat(m.find()).as("a revision in %s", json).isTrue();
        return Long.parseLong(m.group(1));
    }
}
