package dev.consensus.bench.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real three-member etcd: leader lookup, two measured failovers with a restart between, and cleanup by PID. */
class LocalClusterTest {

    private static final Duration LIMIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void failoverIsMeasuredAndEveryMemberIsStoppedAtTheEnd() {
        List<Long> pids;
        List<FailoverRound> rounds;
        long[] rss;
        // Short Raft timings keep the test quick; the figures are not what this test checks.
        try (LocalCluster cluster = LocalCluster.start(TestEtcd.command(), 3, dir, new LocalCluster.Timing(50, 500),
                LIMIT)) {
            assertThat(cluster.endpoints()).hasSize(3).doesNotHaveDuplicates();
            Optional<Integer> leader = cluster.awaitLeader(LIMIT);
            assertThat(leader).isPresent();
            assertThat(cluster.version()).startsWith("3.");
            rss = RssSampler.sampleNow(cluster.members());
            rounds = new FailoverProbe(cluster, LIMIT, Duration.ofMillis(20), Duration.ofSeconds(1)).run(2, LIMIT);
            pids = cluster.members().stream().map(MemberProcess::pid).toList();
            assertThat(cluster.command(0)).contains("--name=m1", "--initial-cluster-state=new",
                    "--heartbeat-interval=50", "--election-timeout=500");
        }
        assertThat(Arrays.stream(rss).min().orElse(0)).isPositive();
        assertThat(rounds).hasSize(2).allSatisfy(round -> {
            assertThat(round.recovered()).as(round.note()).isTrue();
            assertThat(round.attempts()).isPositive();
            assertThat(round.newLeader()).isNotEqualTo(round.killed()).startsWith("m");
        });
        assertThat(pids).allSatisfy(pid -> assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty());
        assertThat(dir.resolve("etcd-1/m1.log")).satisfies(log -> assertThat(Files.size(log)).isPositive());
    }
}
