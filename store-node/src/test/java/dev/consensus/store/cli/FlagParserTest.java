package dev.consensus.store.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.consensus.store.cli.ServerConfig.ClusterState;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlagParserTest {

    private static ServerConfig bind(List<String> args, Map<String, String> env) {
        return ConfigBinder.bind(FlagParser.parse(args, env));
    }

    private static ServerConfig bind(String... args) {
        return bind(List.of(args), Map.of());
    }

    @Test
    void noFlagsGiveEtcdDefaults() {
        ServerConfig c = bind();
        assertThat(c.name()).isEqualTo("default");
        assertThat(c.dataDir()).isEqualTo(Path.of("default.etcd"));
        assertThat(c.listenClientUrls()).containsExactly(URI.create("http://localhost:2379"));
        assertThat(c.listenPeerUrls()).containsExactly(URI.create("http://localhost:2380"));
        assertThat(c.advertiseClientUrls()).containsExactly(URI.create("http://localhost:2379"));
        assertThat(c.initialAdvertisePeerUrls()).containsExactly(URI.create("http://localhost:2380"));
        assertThat(c.listenMetricsUrls()).isEmpty();
        assertThat(c.bootstrap().initialCluster())
                .containsExactly(Map.entry("default", List.of(URI.create("http://localhost:2380"))));
        assertThat(c.bootstrap().state()).isEqualTo(ClusterState.NEW);
        assertThat(c.bootstrap().token()).isEqualTo("etcd-cluster");
        assertThat(c.timing()).isEqualTo(new ServerConfig.Timing(100, 1000));
        assertThat(c.limits()).isEqualTo(new ServerConfig.Limits(100_000, 0, 1_572_864, 128, 1, 5, 5));
        assertThat(c.limits().effectiveQuotaBackendBytes()).isEqualTo(2L * 1024 * 1024 * 1024);
        assertThat(c.compaction()).isEqualTo(new ServerConfig.Compaction("periodic", "0"));
        assertThat(c.compaction().enabled()).isFalse();
        assertThat(c.clientTls()).isEqualTo(new ServerConfig.Tls(null, null, null, false));
        assertThat(c.peerTls()).isEqualTo(new ServerConfig.Tls(null, null, null, false));
        assertThat(c.logLevel()).isEqualTo("info");
    }

    @Test
    void dataDirDefaultFollowsTheName() {
        assertThat(bind("--name=n1", "--initial-cluster=n1=http://localhost:2380").dataDir())
                .isEqualTo(Path.of("n1.etcd"));
    }

    @Test
    void everyFlagIsRead() {
        ServerConfig c = bind(
                "--name=m1",
                "--data-dir=/data/m1",
                "--listen-peer-urls=https://10.0.0.1:2380,https://127.0.0.1:2380",
                "--listen-client-urls", "https://10.0.0.1:2379",
                "--initial-advertise-peer-urls=https://m1.peers:2380",
                "--advertise-client-urls=https://m1.clients:2379",
                "--listen-metrics-urls=http://0.0.0.0:2381",
                "--initial-cluster=m1=https://m1.peers:2380,m2=https://m2.peers:2380",
                "--initial-cluster-state=existing",
                "--initial-cluster-token=tok",
                "--heartbeat-interval=200",
                "--election-timeout=2000",
                "--snapshot-count=5000",
                "--max-snapshots=3",
                "--max-wals=0",
                "--quota-backend-bytes=8589934592",
                "--max-request-bytes=10485760",
                "--max-txn-ops=1024",
                "--max-learners=2",
                "--auto-compaction-mode=revision",
                "--auto-compaction-retention=1000",
                "--cert-file=/tls/server.crt",
                "--key-file=/tls/server.key",
                "--trusted-ca-file=/tls/ca.crt",
                "--client-cert-auth",
                "--peer-cert-file=/tls/peer.crt",
                "--peer-key-file=/tls/peer.key",
                "--peer-trusted-ca-file=/tls/peer-ca.crt",
                "--peer-client-cert-auth=true",
                "--log-level=debug");
        assertThat(c.name()).isEqualTo("m1");
        assertThat(c.dataDir()).isEqualTo(Path.of("/data/m1"));
        assertThat(c.listenPeerUrls()).containsExactly(
                URI.create("https://10.0.0.1:2380"), URI.create("https://127.0.0.1:2380"));
        assertThat(c.listenClientUrls()).containsExactly(URI.create("https://10.0.0.1:2379"));
        assertThat(c.initialAdvertisePeerUrls()).containsExactly(URI.create("https://m1.peers:2380"));
        assertThat(c.advertiseClientUrls()).containsExactly(URI.create("https://m1.clients:2379"));
        assertThat(c.listenMetricsUrls()).containsExactly(URI.create("http://0.0.0.0:2381"));
        assertThat(c.bootstrap().initialCluster()).containsOnlyKeys("m1", "m2");
        assertThat(c.bootstrap().state()).isEqualTo(ClusterState.EXISTING);
        assertThat(c.bootstrap().token()).isEqualTo("tok");
        assertThat(c.timing()).isEqualTo(new ServerConfig.Timing(200, 2000));
        assertThat(c.limits()).isEqualTo(new ServerConfig.Limits(5000, 8_589_934_592L, 10_485_760, 1024, 2, 3, 0));
        assertThat(c.compaction()).isEqualTo(new ServerConfig.Compaction("revision", "1000"));
        assertThat(c.clientTls()).isEqualTo(new ServerConfig.Tls(
                Path.of("/tls/server.crt"), Path.of("/tls/server.key"), Path.of("/tls/ca.crt"), true));
        assertThat(c.peerTls()).isEqualTo(new ServerConfig.Tls(
                Path.of("/tls/peer.crt"), Path.of("/tls/peer.key"), Path.of("/tls/peer-ca.crt"), true));
        assertThat(c.logLevel()).isEqualTo("debug");
    }

    @Test
    void environmentFillsFlagsNotGiven() {
        ParsedFlags flags = FlagParser.parse(List.of(), Map.of(
                "ETCD_NAME", "env-node",
                "ETCD_INITIAL_CLUSTER", "env-node=http://localhost:2380",
                "ETCD_HEARTBEAT_INTERVAL", "50",
                "ETCD_CLIENT_CERT_AUTH", "true",
                "HOME", "/root"));
        ServerConfig c = ConfigBinder.bind(flags);
        assertThat(c.name()).isEqualTo("env-node");
        assertThat(c.timing().heartbeatIntervalMs()).isEqualTo(50);
        assertThat(c.clientTls().clientCertAuth()).isTrue();
        assertThat(flags.fromEnvironment())
                .containsExactlyInAnyOrder("name", "initial-cluster", "heartbeat-interval", "client-cert-auth");
        assertThat(flags.warnings()).isEmpty();
    }

    @Test
    void aFlagGivenOnTheCommandLineAndInTheEnvironmentIsRefusedAsEtcdRefusesIt() {
        FlagException e = org.assertj.core.api.Assertions.catchThrowableOfType(FlagException.class,
                () -> FlagParser.parse(List.of("--name=flag-node", "--initial-cluster=flag-node=http://localhost:2380"),
                        Map.of("ETCD_NAME", "env-node")));
        assertThat(e.kind()).isEqualTo(FlagException.Kind.VERIFY);
        assertThat(e.getMessage()).isEqualTo("conflicting environment variable \"ETCD_NAME\" is shadowed by"
                + " corresponding command-line flag (either unset environment variable or disable flag)");
    }

    @Test
    void unknownEtcdVariablesAreReportedAsEtcdReportsThem() {
        ParsedFlags flags = FlagParser.parse(List.of(), Map.of("ETCD_FOO", "1", "ETCDCTL_API", "3"));
        assertThat(flags.warnings()).containsExactly("unrecognized environment variable ETCD_FOO=1");
    }

    @Test
    void aFlagGivenTwiceKeepsTheLastValue() {
        assertThat(bind("--snapshot-count=1", "--snapshot-count=2").limits().snapshotCount()).isEqualTo(2);
    }

    @Test
    void theSeedStatefulSetCommandLineParses() {
        String pod = "seed-1";
        ServerConfig c = bind(List.of(
                "--name=" + pod,
                "--data-dir=/var/lib/etcd",
                "--listen-peer-urls=http://0.0.0.0:2380",
                "--listen-client-urls=http://0.0.0.0:2379",
                "--advertise-client-urls=http://" + pod + ".seed:2379",
                "--initial-advertise-peer-urls=http://" + pod + ".seed:2380",
                "--initial-cluster=seed-0=http://seed-0.seed:2380,seed-1=http://seed-1.seed:2380,"
                        + "seed-2=http://seed-2.seed:2380",
                "--initial-cluster-state=new",
                "--initial-cluster-token=seed"), Map.of("ETCD_LOG_LEVEL", "warn"));
        assertThat(c.name()).isEqualTo("seed-1");
        assertThat(c.dataDir()).isEqualTo(Path.of("/var/lib/etcd"));
        assertThat(c.listenClientUrls()).containsExactly(URI.create("http://0.0.0.0:2379"));
        assertThat(c.listenPeerUrls()).containsExactly(URI.create("http://0.0.0.0:2380"));
        assertThat(c.bootstrap().initialCluster()).containsOnlyKeys("seed-0", "seed-1", "seed-2");
        assertThat(c.logLevel()).isEqualTo("warn");
    }

    @Test
    void theWatchProgressIntervalIsAGoDuration() {
        assertThat(bind().timing().watchProgressNotifyInterval()).isEqualTo(Duration.ofMinutes(10));
        assertThat(bind("--experimental-watch-progress-notify-interval=90s").timing().watchProgressNotifyInterval())
                .isEqualTo(Duration.ofSeconds(90));
        assertThat(bind("--experimental-watch-progress-notify-interval=1h30m").timing().watchProgressNotifyInterval())
                .isEqualTo(Duration.ofMinutes(90));
        assertThat(bind("--experimental-watch-progress-notify-interval=1.5s").timing().watchProgressNotifyInterval())
                .isEqualTo(Duration.ofMillis(1500));
        assertThat(bind("--experimental-watch-progress-notify-interval=250ms").timing().watchProgressNotifyInterval())
                .isEqualTo(Duration.ofMillis(250));
        for (String bad : List.of("10", "ten minutes", "5m garbage", "-1s", "")) {
            assertThatThrownBy(() -> bind("--experimental-watch-progress-notify-interval=" + bad))
                    .as(bad).isInstanceOf(FlagException.class)
                    .hasMessage("invalid value \"" + bad + "\" for flag -experimental-watch-progress-notify-interval: "
                            + "parse error");
        }
    }

    @Test
    void anUnknownFlagIsRefusedInGoFlagWords() {
        assertThatThrownBy(() -> FlagParser.parse(List.of("--bogus=1"), Map.of()))
                .isInstanceOf(FlagException.class)
                .hasMessage("flag provided but not defined: -bogus");
    }

    @Test
    void aStrayArgumentIsRefused() {
        assertThatThrownBy(() -> FlagParser.parse(List.of("serve"), Map.of()))
                .hasMessage("'serve' is not a valid flag");
    }

    @Test
    void aFlagWithoutItsValueIsRefused() {
        assertThatThrownBy(() -> FlagParser.parse(List.of("--name"), Map.of()))
                .hasMessage("flag needs an argument: -name");
    }
}
