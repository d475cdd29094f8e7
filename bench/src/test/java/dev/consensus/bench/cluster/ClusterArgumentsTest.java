package dev.consensus.bench.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.consensus.bench.load.Workload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterArgumentsTest {

    @Test
    void defaultsAreAShortRunOfEveryLoad() {
        BenchConfig config = ClusterBenchMain.parse("--etcd", "/usr/bin/etcd");
        assertThat(config.members()).isEqualTo(3);
        assertThat(config.timing()).isEqualTo(new LocalCluster.Timing(100, 1000));
        assertThat(config.plan().duration()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.plan().warmup()).isEqualTo(Duration.ofSeconds(20));
        assertThat(config.plan().settle()).isEqualTo(Duration.ofSeconds(70));
        assertThat(config.failoverRounds()).isEqualTo(3);
        assertThat(config.rounds()).isEqualTo(1);
        assertThat(config.probeInterval()).isEqualTo(Duration.ofMillis(20));
        assertThat(config.probeTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.etcd().program()).containsExactly("/usr/bin/etcd");
        assertThat(config.etcd().extraFlags()).contains("--logger=zap");
        List<PlannedLoad> loads = config.plan().loads(config.members());
        assertThat(loads).extracting(PlannedLoad::label).containsExactly(
                "put, 1 client", "put, 16 clients", "put, 64 clients", "put, 256 clients",
                "range l, 16 clients", "range s, 16 clients", "txn-cas, 16 clients", "watch, 16 watchers");
        assertThat(loads).allSatisfy(load -> {
            assertThat(load.spec().conns()).isEqualTo(3);
            assertThat(load.spec().valueSize()).isEqualTo(256);
            assertThat(load.spec().duration()).isEqualTo(Duration.ofSeconds(10));
        });
        assertThat(loads.get(7).spec().workload()).isEqualTo(Workload.WATCH_LATENCY);
        assertThat(loads.get(7).spec().clients()).isEqualTo(1);
        assertThat(loads).extracting(load -> load.spec().keyPrefix()).doesNotHaveDuplicates();
    }

    @Test
    void withoutTheStoreNodeJarTheOtherSideIsSkippedSayingWhy() {
        // The tests run in bench/, where store-node/target/store-node.jar never exists.
        BenchConfig config = ClusterBenchMain.parse();
        assertThat(config.other()).isEmpty();
        assertThat(config.otherSkipped()).contains("store-node.jar is missing").contains("only etcd was measured");
    }

    @Test
    void storeNodeRunsThroughItsLauncherWhenThereIsOne(@TempDir Path dir) throws IOException {
        Path jar = dir.resolve("store-node.jar");
        Path launcher = dir.resolve("store-node");
        assertThat(ServerCommand.storeNode(launcher, jar, List.of())).isEmpty();
        Files.writeString(jar, "");
        assertThat(ServerCommand.storeNode(launcher, jar, List.of())).hasValueSatisfying(command ->
                assertThat(command.program()).endsWith("--enable-native-access=ALL-UNNAMED", "-jar", jar.toString()));
        Files.writeString(launcher, "#!/bin/sh\n");
        assertThat(launcher.toFile().setExecutable(true)).isTrue();
        assertThat(ServerCommand.storeNode(launcher, jar, List.of("--x=1"))).hasValueSatisfying(command -> {
            assertThat(command.label()).isEqualTo("store-node");
            assertThat(command.program()).containsExactly(launcher.toString());
            assertThat(command.extraFlags()).containsExactly("--x=1");
        });
    }

    @Test
    void anotherServerCommandIsTakenWordByWord() {
        BenchConfig config = ClusterBenchMain.parse("--server", "java -Xmx256m -jar x.jar", "--server-name", "x",
                "--server-flags", "--max-txn-ops=64");
        assertThat(config.other()).hasValueSatisfying(other -> {
            assertThat(other.label()).isEqualTo("x");
            assertThat(other.program()).containsExactly("java", "-Xmx256m", "-jar", "x.jar");
            assertThat(other.extraFlags()).containsExactly("--max-txn-ops=64");
        });
    }

    @Test
    void etcdAgainstItselfIsLabelledApart() {
        BenchConfig config = ClusterBenchMain.parse("--server", "/usr/bin/etcd");
        assertThat(config.other()).hasValueSatisfying(other -> {
            assertThat(other.label()).isEqualTo("etcd-b");
            assertThat(other.extraFlags()).isEqualTo(config.etcd().extraFlags());
        });
    }

    @Test
    void etcdOnlySkipsTheOtherSide() {
        BenchConfig config = ClusterBenchMain.parse("--etcd-only", "--server", "/usr/bin/etcd");
        assertThat(config.other()).isEmpty();
        assertThat(config.otherSkipped()).isEqualTo("--etcd-only was given");
    }

    @Test
    void settlingRunsEveryLoadOnceWithoutWarmUpSplittingTheTime() {
        BenchConfig config = ClusterBenchMain.parse("--etcd", "/usr/bin/etcd", "--settle", "80s");
        List<PlannedLoad> measured = config.plan().loads(3);
        List<PlannedLoad> settling = config.plan().settleLoads(3);
        assertThat(settling).extracting(PlannedLoad::label)
                .containsExactlyElementsOf(measured.stream().map(PlannedLoad::label).toList());
        assertThat(settling).allSatisfy(load -> {
            assertThat(load.spec().duration()).isEqualTo(Duration.ofSeconds(10));
            assertThat(load.spec().warmup()).isZero();
        });
        assertThat(settling.get(2).spec().clients()).isEqualTo(measured.get(2).spec().clients());
        assertThat(ClusterBenchMain.parse("--etcd", "/usr/bin/etcd", "--settle", "0").plan().settleLoads(3)).isEmpty();
    }

    @Test
    void everyFigureIsAFlag() {
        BenchConfig config = ClusterBenchMain.parse("--rounds", "2", "--members", "5", "--duration", "30s", "--warmup", "0",
                "--settle", "7s", "--put-clients", "2,8", "--clients", "4", "--watchers", "2", "--value-size", "64", "--key-space", "9",
                "--range-key-space", "8", "--timeout", "1s", "--failover-rounds", "1", "--failover-timeout", "5s",
                "--probe-interval", "5ms", "--probe-timeout", "50ms", "--heartbeat-interval", "50", "--election-timeout", "500",
                "--start-timeout", "9s", "--rss-interval", "1s", "--work-dir", "/tmp/x", "--keep-data");
        assertThat(config.rounds()).isEqualTo(2);
        assertThat(config.members()).isEqualTo(5);
        assertThat(config.plan()).isEqualTo(new BenchPlan(Duration.ofSeconds(30), Duration.ZERO, Duration.ofSeconds(7), List.of(2, 8), 4, 2,
                64, 9, 8, Duration.ofSeconds(1)));
        assertThat(config.failoverRounds()).isEqualTo(1);
        assertThat(config.failoverTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.probeInterval()).isEqualTo(Duration.ofMillis(5));
        assertThat(config.probeTimeout()).isEqualTo(Duration.ofMillis(50));
        assertThat(config.timing()).isEqualTo(new LocalCluster.Timing(50, 500));
        assertThat(config.startTimeout()).isEqualTo(Duration.ofSeconds(9));
        assertThat(config.rssInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.workDir()).isEqualTo(Path.of("/tmp/x"));
        assertThat(config.keepData()).isTrue();
    }

    @Test
    void badValuesAreRefusedBeforeAnythingStarts() {
        assertRefused("--rounds must be at least 1, got 0", "--rounds", "0");
        assertRefused("failover needs at least 3 members", "--members", "1");
        assertRefused("--members must be at least 1, got 0", "--members", "0", "--failover-rounds", "0");
        assertRefused("--put-clients must all be at least 1, got [1, 0]", "--put-clients", "1,0");
        assertRefused("--clients must be at least 1, got 0", "--clients", "0");
        assertRefused("--duration must be positive, got 0", "--duration", "0");
        assertRefused("--probe-timeout must be positive, got 0", "--probe-timeout", "0");
        assertRefused("invalid duration '5'", "--failover-timeout", "5");
    }

    private static void assertRefused(String message, String... args) {
        assertThatThrownBy(() -> ClusterBenchMain.parse(args)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
