package dev.consensus.store.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.consensus.store.testing.ChildProcess;
import dev.consensus.store.testing.ProcessCleanup;
import dev.consensus.store.testing.StoreNodeProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** bin/store-node, the launcher users run: it finds a JDK, starts the packaged jar, and passes exit codes on. */
class LauncherIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Path LAUNCHER = Path.of(System.getProperty("store-node.root", ".."), "bin", "store-node");

    @RegisterExtension
    final ProcessCleanup cleanup = new ProcessCleanup();

    @TempDir
    Path dir;

    private int launcherCount;

    /** Runs the launcher to its end with this test JVM's JDK as JAVA_HOME; returns exit code and output. */
    private Outcome launch(Map<String, String> extraEnv, String... args) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("STORE_NODE_JAR", StoreNodeProcess.jar().toAbsolutePath().toString());
        env.putAll(extraEnv);
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(args));
        List<String> drop = new ArrayList<>(ChildProcess.JVM_OPTION_VARIABLES);
        drop.addAll(List.of("ETCD_", "STORE_NODE_"));
        ChildProcess launcher = cleanup.track(ChildProcess.start(command, env, drop,
                dir.resolve("launcher-" + (++launcherCount) + ".log")));
        int exit = launcher.awaitExit(WAIT);
        return new Outcome(exit, launcher.log());
    }

    private record Outcome(int exitCode, String output) {
    }

    @Test
    void versionPrintsWhatStoreNodeMainPrints() {
        Outcome o = launch(Map.of(), "--version");

        assertThat(o.exitCode()).isZero();
        assertThat(o.output()).isEqualTo(StoreNodeVersion.text());
    }

    @Test
    void aBadFlagsExitCodeAndMessageComeThroughTheLauncher() {
        Outcome unknown = launch(Map.of(), "-bogus");
        Outcome unfit = launch(Map.of(), "--election-timeout=100");

        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.output()).isEqualTo("store-node: flag provided but not defined: -bogus\n"
                + "See 'store-node --help'.\n");
        assertThat(unfit.exitCode()).isEqualTo(1);
        assertThat(unfit.output()).isEqualTo("store-node: error verifying flags, --election-timeout[100ms] should be"
                + " at least as 5 times as --heartbeat-interval[100ms]. See 'store-node --help'.\n");
    }

    @Test
    void aMissingJarIsReportedWithHowToBuildIt() {
        Path missing = dir.resolve("missing.jar");
        Outcome o = launch(Map.of("STORE_NODE_JAR", missing.toString()), "--version");

        assertThat(o.exitCode()).isEqualTo(1);
        assertThat(o.output()).isEqualTo("store-node: " + missing + " does not exist; build it first: make build (in "
                + LAUNCHER.toAbsolutePath().normalize().getParent().getParent() + ")\n");
    }

    @Test
    void jvmOptionsHaveDefaultsThatStoreNodeJavaOptsReplaces() {
        // The JVM adds JAVA_TOOL_OPTIONS to the launcher's options; this one prints them all.
        String printFlags = "-XX:+PrintCommandLineFlags";
        Outcome defaults = launch(Map.of("JAVA_TOOL_OPTIONS", printFlags), "--version");
        Outcome replaced = launch(Map.of("JAVA_TOOL_OPTIONS", printFlags, "STORE_NODE_JAVA_OPTS", "-Xmx77m"),
                "--version");

        assertThat(defaults.exitCode()).isZero();
        // 256 MiB: -Xmx256m.
        assertThat(defaults.output()).contains("-XX:+ExitOnOutOfMemoryError").contains("-XX:MaxHeapSize=268435456")
                .endsWith(StoreNodeVersion.text());
        assertThat(replaced.exitCode()).isZero();
        assertThat(replaced.output()).contains("-XX:MaxHeapSize=80740352")
                .doesNotContain("ExitOnOutOfMemoryError").doesNotContain("MaxHeapSize=268435456")
                .endsWith(StoreNodeVersion.text());
    }
}
