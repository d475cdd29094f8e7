package dev.consensus.faults.harness;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A class-data-sharing archive of store-node's classes, so the members of every run start
 * faster (about a third less CPU at start, which matters with several JVMs on two cores). Made
 * once per jar by a training start of one member that is then stopped cleanly, which is when the
 * JVM writes the archive; named after the jar's size and time so a rebuilt jar gets a new one.
 * Without it (the training start failed) members start as usual.
 */
final class StartupArchive {

    private StartupArchive() {
    }

    static synchronized Optional<Path> get(Path dir, java.io.PrintStream out) {
        try {
            Path jar = NodeProcess.jar();
            Path archive = dir.resolve("store-node-" + Files.size(jar) + "-"
                    + Files.getLastModifiedTime(jar).toMillis() + ".jsa");
            if (Files.isRegularFile(archive)) {
                return Optional.of(archive);
            }
            Files.createDirectories(dir);
            Path work = Files.createTempDirectory("faults-cds-");
            Path partial = work.resolve("archive.jsa");
            try {
                List<Integer> ports = ports();
                String client = "http://127.0.0.1:" + ports.get(0);
                String peer = "http://127.0.0.1:" + ports.get(1);
                Path hosts = work.resolve("hosts");
                Files.writeString(hosts, "127.0.0.1 localhost\n");
                NodeProcess p = NodeProcess.start(List.of("--name", "cds", "--data-dir", work.resolve("data").toString(),
                        "--listen-client-urls", client, "--advertise-client-urls", client, "--listen-peer-urls", peer,
                        "--initial-advertise-peer-urls", peer, "--initial-cluster", "cds=" + peer),
                        hosts, work.resolve("cds.log"), List.of("-XX:ArchiveClassesAtExit=" + partial));
                try {
                    p.awaitPort("127.0.0.1", ports.get(0), Duration.ofSeconds(60));
                    NodeProcess.sleep(1500); // let it elect itself and settle, loading those classes too
                } finally {
                    p.stop(Duration.ofSeconds(30));
                }
                if (Files.isRegularFile(partial) && Files.size(partial) > 0) {
                    Files.move(partial, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    out.println("faults: made the class-data-sharing archive " + archive);
                    return Optional.of(archive);
                }
                out.println("faults: no class-data-sharing archive (the training start wrote none); members start without");
                return Optional.empty();
            } finally {
                FaultRun.deleteTree(work);
            }
        } catch (IOException | RuntimeException e) {
            out.println("faults: no class-data-sharing archive (" + e.getMessage() + "); members start without");
            return Optional.empty();
        }
    }

    private static List<Integer> ports() throws IOException {
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        try (ServerSocket a = new ServerSocket(0, 1, lo); ServerSocket b = new ServerSocket(0, 1, lo)) {
            return List.of(a.getLocalPort(), b.getLocalPort());
        }
    }
}
