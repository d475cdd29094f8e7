package dev.consensus.store.transport;

import dev.consensus.store.raft.Snapshot;
import dev.consensus.store.raft.SnapshotMetadata;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Snapshot payloads in a test directory: a snapshot's data is the name of its checkpoint
 * directory, and every incoming snapshot gets a numbered directory of its own.
 */
final class DirPayloads implements SnapshotPayloads {

    private final Path root;
    private final AtomicInteger received = new AtomicInteger();
    final List<Path> receiveDirs = new CopyOnWriteArrayList<>();
    /** Each receive directory as it is handed out, for tests that wait for a stream to begin. */
    final BlockingQueue<Path> created = new LinkedBlockingQueue<>();
    final Map<String, Path> checkpoints = new ConcurrentHashMap<>();
    volatile boolean refuseToReceive;

    DirPayloads(Path root) {
        this.root = root;
    }

    /** A checkpoint directory named {@code name}, to fill with files. */
    Path checkpoint(String name) throws IOException {
        Path dir = Files.createDirectories(root.resolve("checkpoints").resolve(name));
        checkpoints.put(name, dir);
        return dir;
    }

    @Override
    public Path checkpointDir(Snapshot snapshot) throws IOException {
        Path dir = checkpoints.get(new String(snapshot.data(), StandardCharsets.UTF_8));
        if (dir == null) {
            throw new IOException("no checkpoint for " + snapshot);
        }
        return dir;
    }

    @Override
    public Path newReceiveDir(SnapshotMetadata metadata) throws IOException {
        if (refuseToReceive) {
            throw new IOException("no space left on device");
        }
        Path dir = Files.createDirectories(root.resolve("received").resolve(
                metadata.index() + "-" + received.incrementAndGet()));
        receiveDirs.add(dir);
        created.add(dir);
        return dir;
    }
}
