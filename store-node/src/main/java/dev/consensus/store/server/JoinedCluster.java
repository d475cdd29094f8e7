package dev.consensus.store.server;

import dev.consensus.store.cluster.ClusterState;
import dev.consensus.store.cluster.MemberCodec;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The members a joining member was told of when it joined (--initial-cluster-state existing),
 * kept in its data directory. A joined member learns its peers by applying the log; restarted
 * before it applied anything, it would know none, could answer no leader and would never catch
 * up. With this file it starts talking to the members it joined, as on its first start.
 */
final class JoinedCluster {

    static final String FILE = "joined-cluster";

    private JoinedCluster() {
    }

    /** Written (temp file, fsync, rename) before the joining member's WAL is created. */
    static void write(Path memberDir, ClusterState state) throws IOException {
        Files.createDirectories(memberDir);
        Path tmp = memberDir.resolve(FILE + ".tmp");
        Files.write(tmp, MemberCodec.encode(state));
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, memberDir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE);
        try (FileChannel dir = FileChannel.open(memberDir, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }

    /** The members joined, if this member joined an existing cluster. */
    static Optional<ClusterState> read(Path memberDir) throws IOException {
        Path file = memberDir.resolve(FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        return Optional.of(MemberCodec.decodeState(Files.readAllBytes(file)));
    }
}
