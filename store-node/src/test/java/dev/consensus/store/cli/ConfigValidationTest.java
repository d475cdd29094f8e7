package dev.consensus.store.cli;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

class ConfigValidationTest {

    private static AbstractThrowableAssert<?, ? extends Throwable> refused(FlagException.Kind kind, String... args) {
        return assertThatThrownBy(() -> ConfigBinder.bind(FlagParser.parse(List.of(args), Map.of())))
                .isInstanceOf(FlagException.class)
                .satisfies(e -> org.assertj.core.api.Assertions.assertThat(((FlagException) e).kind()).isEqualTo(kind));
    }

    @Test
    void electionTimeoutMustBeFiveHeartbeats() {
        refused(FlagException.Kind.VERIFY, "--heartbeat-interval=250", "--election-timeout=1000")
                .hasMessage("--election-timeout[1000ms] should be at least as 5 times as --heartbeat-interval[250ms]");
    }

    @Test
    void zeroHeartbeatIsRefused() {
        refused(FlagException.Kind.VERIFY, "--heartbeat-interval=0")
                .hasMessage("--heartbeat-interval must be >0 (set to 0ms)");
    }

    @Test
    void electionTimeoutHasEtcdsUpperBound() {
        refused(FlagException.Kind.VERIFY, "--election-timeout=60000")
                .hasMessage("--election-timeout[60000ms] is too long, and should be set less than 50000ms");
    }

    @Test
    void theNameMustBeInTheInitialCluster() {
        refused(FlagException.Kind.VERIFY, "--name=a", "--initial-cluster=b=http://localhost:2380")
                .hasMessage("couldn't find local name \"a\" in the initial cluster configuration");
    }

    @Test
    void theInitialClusterMustMatchTheAdvertisedPeerUrls() {
        refused(FlagException.Kind.VERIFY, "--name=a", "--initial-cluster=a=http://127.0.0.1:2390")
                .hasMessage("--initial-cluster has a=http://127.0.0.1:2390 but missing from"
                        + " --initial-advertise-peer-urls=http://localhost:2380");
        refused(FlagException.Kind.VERIFY, "--name=a", "--initial-cluster=a=http://127.0.0.1:2390",
                "--initial-advertise-peer-urls=http://127.0.0.1:2390,http://127.0.0.1:2391")
                .hasMessage("--initial-advertise-peer-urls has http://127.0.0.1:2391 but missing from"
                        + " --initial-cluster=a=http://127.0.0.1:2390");
    }

    @Test
    void urlsNeedHttpOrHttpsAndHostPortAndNoPath() {
        refused(FlagException.Kind.PARSE, "--listen-client-urls=ftp://x:1", "--advertise-client-urls=http://x:1")
                .hasMessage("invalid value \"ftp://x:1\" for flag -listen-client-urls: URL scheme must be http or"
                        + " https (store-node serves no unix sockets): ftp://x:1");
        refused(FlagException.Kind.PARSE, "--listen-peer-urls=http://x")
                .hasMessage("invalid value \"http://x\" for flag -listen-peer-urls: URL address does not have the"
                        + " form \"host:port\": http://x");
        refused(FlagException.Kind.PARSE, "--advertise-client-urls=http://x:1/p")
                .hasMessage("invalid value \"http://x:1/p\" for flag -advertise-client-urls: URL must not contain"
                        + " a path: http://x:1/p");
    }

    @Test
    void aBadInitialClusterUrlIsRefused() {
        refused(FlagException.Kind.VERIFY, "--initial-cluster=a=ftp://x:1")
                .hasMessageStartingWith("error setting up initial cluster: ")
                .hasMessageContaining("URL scheme must be http or https");
        refused(FlagException.Kind.VERIFY, "--initial-cluster=nonsense")
                .hasMessage("error setting up initial cluster: --initial-cluster entry \"nonsense\" is not of the"
                        + " form name=url");
    }

    @Test
    void anUnknownClusterStateIsRefused() {
        refused(FlagException.Kind.PARSE, "--initial-cluster-state=bogus")
                .hasMessage("invalid value \"bogus\" for flag -initial-cluster-state: invalid value \"bogus\""
                        + " (valid values are \"existing\", \"new\")");
    }

    @Test
    void negativeSizesAreRefused() {
        refused(FlagException.Kind.PARSE, "--snapshot-count=-1")
                .hasMessage("invalid value \"-1\" for flag -snapshot-count: parse error");
        refused(FlagException.Kind.PARSE, "--max-txn-ops=-1")
                .hasMessage("invalid value \"-1\" for flag -max-txn-ops: parse error");
        refused(FlagException.Kind.PARSE, "--max-request-bytes=-1")
                .hasMessage("invalid value \"-1\" for flag -max-request-bytes: parse error");
        refused(FlagException.Kind.VERIFY, "--quota-backend-bytes=-5")
                .hasMessage("--quota-backend-bytes must not be negative (set to -5)");
        refused(FlagException.Kind.VERIFY, "--max-learners=0")
                .hasMessage("--max-learners must be at least 1 (set to 0)");
    }

    @Test
    void nonNumbersAndBadBooleansAreParseErrors() {
        refused(FlagException.Kind.PARSE, "--heartbeat-interval=abc")
                .hasMessage("invalid value \"abc\" for flag -heartbeat-interval: parse error");
        refused(FlagException.Kind.PARSE, "--client-cert-auth=yes")
                .hasMessage("invalid value \"yes\" for flag -client-cert-auth: parse error");
    }

    @Test
    void listeningOnClientUrlsNeedsAdvertisedOnes() {
        refused(FlagException.Kind.VERIFY, "--listen-client-urls=http://127.0.0.1:2379")
                .hasMessage("--advertise-client-urls is required when --listen-client-urls is set explicitly");
    }

    @Test
    void compactionModeAndRetentionAreChecked() {
        refused(FlagException.Kind.VERIFY, "--auto-compaction-mode=foo")
                .hasMessage("unknown auto-compaction-mode \"foo\"");
        refused(FlagException.Kind.VERIFY, "--auto-compaction-mode=revision", "--auto-compaction-retention=1h")
                .hasMessage("invalid --auto-compaction-retention \"1h\" for mode revision (a whole number of"
                        + " revisions)");
    }

    @Test
    void unknownLogLevelIsRefused() {
        refused(FlagException.Kind.VERIFY, "--log-level=loud")
                .hasMessage("unknown log level \"loud\" (valid values are debug, info, warn, error, panic, fatal)");
    }

    @Test
    void aCertWithoutAKeyIsRefused() {
        refused(FlagException.Kind.VERIFY, "--peer-cert-file=/tls/peer.crt")
                .hasMessage("--peer-cert-file and --peer-key-file must be given together");
    }
}
