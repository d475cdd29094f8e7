package dev.consensus.bench.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole runner, end to end, on the smallest real setup: one etcd member, every load for a
 * moment, twice (two rounds), no failover (that needs three members; LocalClusterTest
 * covers it).
 */
class ClusterBenchEtcdTest {

    @TempDir
    Path dir;

    @Test
    void anEtcdOnlyRunOfTwoRoundsWritesTheReportAndRemovesItsData() throws Exception {
        Path out = dir.resolve("report.md");
        Path work = dir.resolve("work");
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int status = ClusterBenchMain.run(new String[] {"--etcd", TestEtcd.binary().toString(), "--etcd-only",
            "--rounds", "2", "--members", "1", "--failover-rounds", "0", "--duration", "300ms", "--warmup", "0",
            "--settle", "800ms", "--put-clients", "1,4", "--clients", "2", "--watchers", "2", "--key-space", "50",
            "--range-key-space", "20", "--out", out.toString(), "--work-dir", work.toString()},
                new PrintStream(stdout, true, StandardCharsets.UTF_8), new PrintStream(stderr, true, StandardCharsets.UTF_8));
        String log = stderr.toString(StandardCharsets.UTF_8);
        assertThat(status).as(log).isZero();
        String report = Files.readString(out);
        assertThat(stdout.toString(StandardCharsets.UTF_8)).isEqualTo(report);
        assertThat(report).contains("- other side skipped: --etcd-only was given")
                .contains("| put, 1 client: ops/s |", "| put, 4 clients: ops/s |", "| range l, 2 clients: ops/s |",
                        "| range s, 2 clients: ops/s |", "| txn-cas, 2 clients: ops/s |",
                        "| watch, 2 watchers: delivery p50 / p99 / p99.9 ms |", "| RSS MiB per member, peak during loads |",
                        "| errors, all loads | 0 | — |");
        assertThat(report).contains("Each side ran everything 2 times");
        assertThat(log).contains("etcd: settling, every load unrecorded for", "etcd: put, 1 client ...",
                "report written to");
        // Each round starts a fresh cluster in a directory of its own.
        assertThat(log.split("== etcd: starting 1 members", -1)).hasSize(3);
        assertThat(work).doesNotExist();
    }
}
