package dev.consensus.store.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where the real {@code etcd} and {@code etcdctl} programs are, for tests that run them.
 *
 * <p>It looks where {@code scripts/ensure-etcd.sh} looks, so that the script and the tests agree:
 * only in {@code $ETCD_BIN_DIR} when that is set (to test against an etcd unpacked from a release
 * tarball), else on {@code PATH}, else in {@code /usr/bin}. When a program is missing it fails
 * with a message telling the developer to run the script; tests that need etcd are never skipped.
 */
public record EtcdBinaries(Path etcd, Path etcdctl) {

    /** What a developer must do when etcd is missing. */
    public static final String HOW_TO_INSTALL =
            "run scripts/ensure-etcd.sh: it installs etcd-server and etcd-client on Debian/Ubuntu "
                    + "(as root), or says how to install etcd and etcdctl 3.4+ elsewhere";

    /** Finds both programs, or throws {@link IllegalStateException} saying how to install them. */
    public static EtcdBinaries locate() {
        List<Path> dirs = searchDirectories();
        Path etcd = find("etcd", dirs).orElseThrow(() -> missing("etcd", dirs));
        Path etcdctl = find("etcdctl", dirs).orElseThrow(() -> missing("etcdctl", dirs));
        return new EtcdBinaries(etcd, etcdctl);
    }

    private static List<Path> searchDirectories() {
        String pinned = System.getenv("ETCD_BIN_DIR");
        if (pinned != null && !pinned.isBlank()) {
            return List.of(Path.of(pinned));
        }
        List<Path> dirs = new ArrayList<>();
        String path = System.getenv().getOrDefault("PATH", "");
        for (String entry : path.split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                dirs.add(Path.of(entry));
            }
        }
        dirs.add(Path.of("/usr/bin"));
        return dirs;
    }

    private static Optional<Path> find(String program, List<Path> dirs) {
        return dirs.stream()
                .map(dir -> dir.resolve(program))
                .filter(candidate -> Files.isRegularFile(candidate) && Files.isExecutable(candidate))
                .findFirst();
    }

    private static IllegalStateException missing(String program, List<Path> dirs) {
        return new IllegalStateException(
                "'" + program + "' was not found (searched " + dirs + "); " + HOW_TO_INSTALL);
    }
}
