package dev.consensus.store.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * etcd's {@code snapshot restore} for store-node: a new cluster's member whose data starts from a
 * snapshot that {@code etcdctl snapshot save} took from a store-node member. Each member of the
 * new cluster restores the same file with its own {@code --name} and the same {@code
 * --initial-cluster} and {@code --initial-cluster-token}; started with that data directory, the
 * members form the new cluster and keep every key, revision and lease of the old one.
 */
public final class SnapshotRestore {

    private SnapshotRestore() {
    }

    /** Restores {@code snapshot} into {@code settings.dataDir()}, which must be absent or empty. */
    public static void restore(Path snapshot, ServerSettings settings) throws IOException {
        Path dataDir = settings.dataDir();
        if (Files.exists(dataDir)) {
            try (Stream<Path> entries = Files.list(dataDir)) {
                if (entries.findAny().isPresent()) {
                    throw new IOException("data-dir \"" + dataDir + "\" exists");
                }
            }
        }
        if (settings.initialMembers().stream().noneMatch(m -> m.name().equals(settings.name()))) {
            throw new IOException("couldn't find local name \"" + settings.name()
                    + "\" in the initial cluster configuration");
        }
        Path parent = dataDir.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path unpacked = Files.createTempDirectory(parent, ".restore-")
                .resolve("checkpoint");
        boolean done = false;
        try {
            SnapshotFile.unpack(snapshot, unpacked);
            StoreServer.createRestored(settings, unpacked);
            done = true;
        } finally {
            StoreServer.deleteRecursively(unpacked.getParent());
            if (!done) {
                StoreServer.deleteRecursively(dataDir);
            }
        }
    }
}
