package dev.consensus.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * What the MVCC benchmarks share: where their databases live (a fresh directory under {@code
 * -Dbench.dir}, by default the JVM's temporary directory, which on our machines is on the same
 * disk as /work), and a fixed 256-byte value.
 */
final class MvccBenchData {

    static final int VALUE_BYTES = 256;

    private MvccBenchData() {
    }

    static Path freshDir(String name) {
        Path parent = Path.of(System.getProperty("bench.dir", System.getProperty("java.io.tmpdir")));
        try {
            Files.createDirectories(parent);
            return Files.createTempDirectory(parent, name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void delete(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] value(long seed) {
        byte[] value = new byte[VALUE_BYTES];
        new SplittableRandom(seed).nextBytes(value);
        return value;
    }
}
