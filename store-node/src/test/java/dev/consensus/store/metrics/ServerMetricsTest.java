package dev.consensus.store.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** etcd's metric names, kinds and buckets, and what each typed method does to them. */
class ServerMetricsTest {

    private static final long SELF = 0x8e9e05c52164694dL;
    private static final long OTHER = 0x91bc3c398fb3c146L;

    private final MetricRegistry registry = new MetricRegistry();
    private final ServerMetrics metrics = new ServerMetrics(registry, "3.5.0", SELF);

    private Exposition scrape() {
        return Exposition.parse(registry.scrape());
    }

    @Test
    void everyEtcdMetricIsThereWithEtcdsKind() {
        Map<String, String> expected = Map.ofEntries(
                Map.entry("etcd_server_has_leader", "gauge"),
                Map.entry("etcd_server_is_leader", "gauge"),
                Map.entry("etcd_server_is_learner", "gauge"),
                Map.entry("etcd_server_leader_changes_seen_total", "counter"),
                Map.entry("etcd_server_proposals_committed_total", "gauge"),
                Map.entry("etcd_server_proposals_applied_total", "gauge"),
                Map.entry("etcd_server_proposals_pending", "gauge"),
                Map.entry("etcd_server_proposals_failed_total", "counter"),
                Map.entry("etcd_disk_wal_fsync_duration_seconds", "histogram"),
                Map.entry("etcd_disk_backend_commit_duration_seconds", "histogram"),
                Map.entry("etcd_mvcc_db_total_size_in_bytes", "gauge"),
                Map.entry("etcd_mvcc_db_total_size_in_use_in_bytes", "gauge"),
                Map.entry("etcd_debugging_mvcc_keys_total", "gauge"),
                Map.entry("etcd_server_quota_backend_bytes", "gauge"),
                Map.entry("etcd_server_version", "gauge"),
                Map.entry("etcd_server_id", "gauge"),
                Map.entry("process_resident_memory_bytes", "gauge"),
                Map.entry("process_start_time_seconds", "gauge"));
        Exposition parsed = scrape();
        expected.forEach((name, type) -> assertThat(parsed.family(name).type()).as(name).isEqualTo(type));
    }

    @Test
    void versionAndIdAreLabelsOnAOne() {
        Exposition parsed = scrape();
        assertThat(parsed.family("etcd_server_version")
                .sample("etcd_server_version", Map.of("server_version", "3.5.0")).value()).isEqualTo(1);
        assertThat(parsed.family("etcd_server_id")
                .sample("etcd_server_id", Map.of("server_id", "8e9e05c52164694d")).value()).isEqualTo(1);
        assertThat(registry.scrape()).contains("etcd_server_version{server_version=\"3.5.0\"} 1\n");
    }

    @Test
    void leaderChangesAreCountedWhenANewLeaderIsKnown() {
        assertThat(scrape().value("etcd_server_has_leader")).isZero();

        metrics.leaderChanged(OTHER);
        assertThat(scrape().value("etcd_server_has_leader")).isEqualTo(1);
        assertThat(scrape().value("etcd_server_is_leader")).isZero();

        metrics.leaderChanged(OTHER); // told again: no change
        metrics.leaderChanged(0); // leader lost: not a change to count
        assertThat(scrape().value("etcd_server_has_leader")).isZero();
        assertThat(scrape().value("etcd_server_leader_changes_seen_total")).isEqualTo(1);

        metrics.leaderChanged(SELF);
        assertThat(scrape().value("etcd_server_is_leader")).isEqualTo(1);
        assertThat(scrape().value("etcd_server_has_leader")).isEqualTo(1);
        assertThat(scrape().value("etcd_server_leader_changes_seen_total")).isEqualTo(2);
    }

    @Test
    void proposalsAndLearner() {
        metrics.committed(42);
        metrics.applied(40);
        metrics.proposalStarted();
        metrics.proposalStarted();
        metrics.proposalDone();
        metrics.proposalFailed();
        metrics.learner(true);
        metrics.quotaBackendBytes(2L << 30);

        Exposition parsed = scrape();
        assertThat(parsed.value("etcd_server_proposals_committed_total")).isEqualTo(42);
        assertThat(parsed.value("etcd_server_proposals_applied_total")).isEqualTo(40);
        assertThat(parsed.value("etcd_server_proposals_pending")).isEqualTo(1);
        assertThat(parsed.value("etcd_server_proposals_failed_total")).isEqualTo(1);
        assertThat(parsed.value("etcd_server_is_learner")).isEqualTo(1);
        assertThat(parsed.value("etcd_server_quota_backend_bytes")).isEqualTo(2L << 30);
    }

    @Test
    void diskLatenciesLandInEtcdsBuckets() {
        metrics.walFsync(Duration.ofMillis(3)); // le="0.004"
        metrics.backendCommit(Duration.ofSeconds(10)); // only +Inf

        Exposition.Family wal = scrape().family("etcd_disk_wal_fsync_duration_seconds");
        assertThat(wal.sample("etcd_disk_wal_fsync_duration_seconds_bucket", Map.of("le", "0.002")).value()).isZero();
        assertThat(wal.sample("etcd_disk_wal_fsync_duration_seconds_bucket", Map.of("le", "0.004")).value()).isEqualTo(1);
        assertThat(wal.sample("etcd_disk_wal_fsync_duration_seconds_sum", Map.of()).value()).isEqualTo(0.003);
        Exposition.Family commit = scrape().family("etcd_disk_backend_commit_duration_seconds");
        assertThat(commit.sample("etcd_disk_backend_commit_duration_seconds_bucket", Map.of("le", "8.192")).value())
                .isZero();
        assertThat(commit.sample("etcd_disk_backend_commit_duration_seconds_bucket", Map.of("le", "+Inf")).value())
                .isEqualTo(1);
    }

    @Test
    void sizesAndKeysAreReadFromWhatTheServerReports() {
        assertThat(scrape().value("etcd_mvcc_db_total_size_in_bytes")).isZero();
        AtomicLong keys = new AtomicLong(3);
        metrics.reportDbSize(() -> 1 << 20, () -> 1 << 19);
        metrics.reportKeys(keys::get);
        keys.incrementAndGet();

        Exposition parsed = scrape();
        assertThat(parsed.value("etcd_mvcc_db_total_size_in_bytes")).isEqualTo(1 << 20);
        assertThat(parsed.value("etcd_mvcc_db_total_size_in_use_in_bytes")).isEqualTo(1 << 19);
        assertThat(parsed.value("etcd_debugging_mvcc_keys_total")).isEqualTo(4);
    }
}
