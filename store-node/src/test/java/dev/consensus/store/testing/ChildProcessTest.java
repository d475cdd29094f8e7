package dev.consensus.store.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The process fixture against a small real Java program: waits, signals by PID, and cleanup. */
class ChildProcessTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    final ProcessCleanup cleanup = new ProcessCleanup();

    @TempDir
    Path dir;

    private ChildProcess child(String log, String... args) throws Exception {
        String classes = Path.of(ListeningChild.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
        List<String> mainAndArgs = new java.util.ArrayList<>(List.of("-cp", classes, ListeningChild.class.getName()));
        mainAndArgs.addAll(List.of(args));
        return cleanup.track(ChildProcess.start(ChildProcess.java(List.of("-Xmx32m", "-XX:+UseSerialGC"), mainAndArgs),
                Map.of(), List.of("ETCD_"), dir.resolve(log)));
    }

    @Test
    void stopContinueAndTerminateByPid() throws Exception {
        int port = LoopbackPorts.pick(1).get(0);
        ChildProcess child = child("listen.log", "listen", Integer.toString(port));

        child.awaitPort(LoopbackPorts.HOST, port, WAIT);
        // The port accepts before the child has printed that it does: wait for the line, not assert it.
        child.awaitLog("listening on " + port, WAIT);

        child.pause();
        child.awaitStopped(true, WAIT);
        assertThat(child.state()).isEqualTo('T');
        child.resume();
        child.awaitStopped(false, WAIT);
        child.awaitPort(LoopbackPorts.HOST, port, WAIT);

        child.terminate();
        assertThat(child.awaitExit(WAIT)).isEqualTo(128 + 15);
        assertThat(child.log()).contains("stopping on SIGTERM");
    }

    @Test
    void sigkillGivesNoChanceToClean() throws Exception {
        ChildProcess child = child("idle.log", "idle");
        child.awaitLog("idle", WAIT); // the SIGTERM hook is in place once main runs

        child.kill();

        assertThat(child.awaitExit(WAIT)).isEqualTo(128 + 9);
        assertThat(child.log()).doesNotContain("stopping");
    }

    @Test
    void aProcessThatExitsBeforeItsPortAnswersFailsTheWaitWithItsLog() throws Exception {
        ChildProcess child = child("exit.log", "exit", "3");
        int port = LoopbackPorts.pick(1).get(0);

        assertThatThrownBy(() -> child.awaitPort(LoopbackPorts.HOST, port, WAIT))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("exited with 3")
                .hasMessageContaining("exiting with 3");
    }

    @Test
    void aPortThatNeverAnswersFailsTheWaitOnceItsTimeIsUp() throws Exception {
        ChildProcess child = child("idle.log", "idle");
        int port = LoopbackPorts.pick(1).get(0);

        assertThatThrownBy(() -> child.awaitPort(LoopbackPorts.HOST, port, Duration.ofMillis(300)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("did not answer within");
    }

    @Test
    void closeEndsEvenAStoppedProcess() throws Exception {
        ChildProcess child = child("stopped.log", "idle");
        child.awaitLog("idle", WAIT); // the SIGTERM hook is in place once main runs
        child.pause();
        child.awaitStopped(true, WAIT);

        child.close();

        assertThat(child.isAlive()).isFalse();
        assertThat(child.log()).contains("stopping on SIGTERM");
    }
}
