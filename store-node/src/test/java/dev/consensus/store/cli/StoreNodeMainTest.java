package dev.consensus.store.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class StoreNodeMainTest {

    private record Outcome(int exitCode, String out, String err) {
    }

    private static ServerConfig started;

    private static Outcome run(Map<String, String> env, String... args) {
        started = null;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        // The member itself is not started here (process tests do that); the parsed configuration is kept.
        int code = StoreNodeMain.run(List.of(args), env,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                config -> {
                    started = config;
                    return 0;
                });
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void versionPrintsEtcdStyleLinesAndExitsZero() {
        Outcome o = run(Map.of(), "--version");
        assertThat(o.exitCode()).isZero();
        assertThat(o.out()).startsWith("store-node Version: " + StoreNodeVersion.VERSION + "\nAPI Version: 3.5\n");
        assertThat(o.err()).isEmpty();
    }

    @Test
    void theVersionConstantMatchesThePom() throws Exception {
        String pom = Files.readString(Path.of("pom.xml"));
        Matcher parentVersion = Pattern.compile("<parent>.*?<version>([^<]+)</version>", Pattern.DOTALL).matcher(pom);
        assertThat(parentVersion.find()).isTrue();
        assertThat(StoreNodeVersion.VERSION).isEqualTo(parentVersion.group(1));
    }

    /** The planted bug's flag is taken off the command line, warned about, and never listed in --help. */
    @Test
    void theHiddenUnsafeReadsFlagWarnsAndStaysOutOfHelp() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = StoreNodeMain.run(List.of(StoreNodeMain.UNSAFE_LOCAL_READS, "--help"), Map.of(),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--name").doesNotContain("unsafe");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("planted bug").contains("never use it");
    }

    @Test
    void helpListsEveryFlagAndExitsZero() {
        Outcome o = run(Map.of(), "--help");
        assertThat(o.exitCode()).isZero();
        EtcdFlags.ALL.forEach(flag -> assertThat(o.out()).contains(flag.option()));
    }

    @Test
    void aBadFlagExitsTwoWithOneLineAndNoStackTrace() {
        Outcome o = run(Map.of(), "--bogus");
        assertThat(o.exitCode()).isEqualTo(2);
        assertThat(o.err()).isEqualTo("store-node: flag provided but not defined: -bogus\nSee 'store-node --help'.\n");
        assertThat(o.out()).isEmpty();
    }

    @Test
    void flagsThatDoNotFitTogetherExitOneInEtcdsWords() {
        Outcome o = run(Map.of(), "--election-timeout=100");
        assertThat(o.exitCode()).isEqualTo(1);
        assertThat(o.err()).isEqualTo("store-node: error verifying flags, --election-timeout[100ms] should be at"
                + " least as 5 times as --heartbeat-interval[100ms]. See 'store-node --help'.\n");
    }

    @Test
    void goodFlagsPrintTheSummaryAndStartTheMemberWithThatConfiguration() {
        Outcome o = run(Map.of("ETCD_FOO", "x"), "--name=n1", "--initial-cluster=n1=http://localhost:2380");
        assertThat(o.exitCode()).isZero();
        assertThat(o.err())
                .contains("store-node: warning: unrecognized environment variable ETCD_FOO=x")
                .contains("name = n1\n")
                .contains("member ID = ");
        assertThat(started).isNotNull();
        assertThat(started.name()).isEqualTo("n1");
    }
}
