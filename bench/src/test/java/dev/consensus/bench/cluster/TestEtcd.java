package dev.consensus.bench.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The etcd the bench tests run: {@code $ETCD_BIN_DIR/etcd}, else {@code /usr/bin/etcd}, as the
 * store-node tests find it. A missing etcd fails the test with the way to install it; these
 * tests are never skipped.
 */
public final class TestEtcd {

    private TestEtcd() {
    }

    public static Path binary() {
        String dir = System.getenv("ETCD_BIN_DIR");
        Path etcd = dir != null && !dir.isBlank() ? Path.of(dir, "etcd") : Path.of("/usr/bin/etcd");
        if (!Files.isExecutable(etcd)) {
            throw new IllegalStateException(etcd + " is missing: run scripts/ensure-etcd.sh (or set ETCD_BIN_DIR)");
        }
        return etcd;
    }

    public static ServerCommand command() {
        return ServerCommand.etcd(binary(), List.of());
    }
}
