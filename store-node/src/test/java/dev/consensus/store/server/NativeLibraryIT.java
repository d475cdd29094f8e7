package dev.consensus.store.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.consensus.store.testing.LoopbackPorts;
import dev.consensus.store.testing.ProcessCleanup;
import dev.consensus.store.testing.StoreNodeProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * RocksDB's own loader leaves a 17 MB copy of its native library in the temporary directory of
 * every member that does not exit normally; thousands of killed members filled a disk that way.
 */
class NativeLibraryIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    final ProcessCleanup cleanup = new ProcessCleanup();

    @TempDir
    Path dir;

    @Test
    void aMemberKilledWithSigkillLeavesNothingInItsTemporaryDirectory() throws IOException {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        List<Integer> ports = LoopbackPorts.pick(2);
        String client = "http://127.0.0.1:" + ports.get(0);
        String peer = "http://127.0.0.1:" + ports.get(1);
        List<String> jvm = new ArrayList<>(StoreNodeProcess.TEST_JVM_OPTIONS);
        jvm.add("-Djava.io.tmpdir=" + tmp);
        StoreNodeProcess node = cleanup.track(StoreNodeProcess.builder(dir).jvmOptions(jvm).args(
                "--name", "solo", "--data-dir", dir.resolve("solo-data").toString(),
                "--listen-client-urls", client, "--advertise-client-urls", client,
                "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                "--initial-cluster", "solo=" + peer).start());
        // Clients are served once the store is open, so RocksDB's library is loaded by then.
        node.awaitPort(ports.get(0), WAIT);
        Awaitility.await("the member to say it serves clients").atMost(WAIT)
                .until(() -> node.log().contains("ready to serve client requests"));

        node.kill();
        node.awaitExit(WAIT);

        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left.map(p -> p.getFileName().toString())).as("left in " + tmp).isEmpty();
        }
    }
}
