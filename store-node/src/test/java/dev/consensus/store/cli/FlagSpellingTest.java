package dev.consensus.store.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Go's flag syntax (one dash or two) and etcd's deprecated name for --max-learners. */
class FlagSpellingTest {

    private static final String DEPRECATION = "--experimental-max-learners is deprecated in v3.6 and will be"
            + " decommissioned in v3.7. Use '--max-learners' instead.";

    private static ParsedFlags parse(List<String> args, Map<String, String> env) {
        return FlagParser.parse(args, env);
    }

    private static ParsedFlags parse(String... args) {
        return parse(List.of(args), Map.of());
    }

    @Test
    void oneDashWorksLikeTwoInEveryForm() {
        ServerConfig c = ConfigBinder.bind(parse("-name", "n1", "-data-dir=/data/n1",
                "-initial-cluster", "n1=http://localhost:2380", "--max-txn-ops", "64", "-client-cert-auth",
                "-peer-client-cert-auth=false"));
        assertThat(c.name()).isEqualTo("n1");
        assertThat(c.dataDir()).isEqualTo(Path.of("/data/n1"));
        assertThat(c.limits().maxTxnOps()).isEqualTo(64);
        assertThat(c.clientTls().clientCertAuth()).isTrue();
        assertThat(c.peerTls().clientCertAuth()).isFalse();
    }

    @Test
    void aValueMayStartWithADashAsInGo() {
        assertThat(parse("-name", "-odd").given("name")).hasValue("-odd");
        assertThat(parse("--initial-cluster-token", "--tok").given("initial-cluster-token")).hasValue("--tok");
    }

    @Test
    void helpAndVersionTakeOneDashToo() {
        assertThat(parse("-version").versionRequested()).isTrue();
        assertThat(parse("-help").helpRequested()).isTrue();
        assertThat(parse("-h").helpRequested()).isTrue();
        assertThat(parse("--h").helpRequested()).isTrue();
    }

    @Test
    void mistakesInOneDashFormGetGosMessages() {
        assertThatThrownBy(() -> parse("-bogus=1")).hasMessage("flag provided but not defined: -bogus");
        assertThatThrownBy(() -> parse("-name")).hasMessage("flag needs an argument: -name");
        assertThatThrownBy(() -> parse("---name=x")).hasMessage("bad flag syntax: ---name=x");
        assertThatThrownBy(() -> parse("-=x")).hasMessage("bad flag syntax: -=x");
        FlagException e = catchThrowableOfType(FlagException.class,
                () -> ConfigBinder.bind(parse("-snapshot-count", "-1")));
        assertThat(e.kind()).isEqualTo(FlagException.Kind.PARSE);
        assertThat(e).hasMessage("invalid value \"-1\" for flag -snapshot-count: parse error");
    }

    @Test
    void theDeprecatedNameSetsMaxLearnersWithEtcdsWarning() {
        ParsedFlags flags = parse("--experimental-max-learners=3");
        assertThat(ConfigBinder.bind(flags).limits().maxLearners()).isEqualTo(3);
        assertThat(flags.warnings()).containsExactly(DEPRECATION);
        assertThat(flags.given(EtcdFlags.EXPERIMENTAL_MAX_LEARNERS)).isEmpty();

        assertThat(ConfigBinder.bind(parse("-experimental-max-learners", "2")).limits().maxLearners()).isEqualTo(2);
    }

    @Test
    void theDeprecatedVariableSetsMaxLearners() {
        ParsedFlags flags = parse(List.of(), Map.of("ETCD_EXPERIMENTAL_MAX_LEARNERS", "4"));
        assertThat(ConfigBinder.bind(flags).limits().maxLearners()).isEqualTo(4);
        assertThat(flags.fromEnvironment()).containsExactly(EtcdFlags.MAX_LEARNERS);
        assertThat(flags.warnings()).containsExactly(DEPRECATION);
    }

    @Test
    void bothNamesTogetherAreRefusedAsEtcdRefusesThem() {
        String message = "cannot set --experimental-max-learners and --max-learners at the same time,"
                + " please use --max-learners only";
        FlagException onTheCommandLine = catchThrowableOfType(FlagException.class,
                () -> parse("--max-learners=2", "-experimental-max-learners=3"));
        assertThat(onTheCommandLine.kind()).isEqualTo(FlagException.Kind.VERIFY);
        assertThat(onTheCommandLine).hasMessage(message);
        assertThatThrownBy(() -> parse(List.of("--max-learners=2"), Map.of("ETCD_EXPERIMENTAL_MAX_LEARNERS", "3")))
                .hasMessage(message);
    }

    @Test
    void storeNodeMainPrintsTheDeprecationWarning() {
        var err = new java.io.ByteArrayOutputStream();
        // The member itself is not started (process tests do that): only what the command prints first.
        int code = StoreNodeMain.run(List.of("-experimental-max-learners=2"), Map.of(),
                new java.io.PrintStream(new java.io.ByteArrayOutputStream(), true),
                new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8), config -> 0);
        assertThat(code).isZero();
        assertThat(err.toString(java.nio.charset.StandardCharsets.UTF_8))
                .contains("store-node: warning: " + DEPRECATION + "\n")
                .contains("max learners = 2\n");
    }
}
