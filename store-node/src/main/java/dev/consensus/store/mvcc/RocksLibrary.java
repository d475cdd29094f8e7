package dev.consensus.store.mvcc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.rocksdb.NativeLibraryLoader;
import org.rocksdb.RocksDB;

/**
 * Loads RocksDB's native library without leaving a copy of it behind. RocksDB's own loader
 * extracts the library (17 MB) to a new file in the temporary directory and deletes it only when
 * the JVM exits normally, so every member killed with SIGKILL, as the tests and the fault runs
 * do, left one there: two thousand in a day filled this machine's disk by a third. Here the
 * library goes to a directory of its own and is deleted as soon as it is loaded; a loaded
 * library needs its file no more on Linux and macOS, the platforms the jar carries.
 */
final class RocksLibrary {

    private static boolean loaded;

    private RocksLibrary() {}

    static synchronized void load() {
        if (loaded) {
            return;
        }
        Path dir;
        try {
            dir = Files.createTempDirectory("store-node-rocksdb-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for RocksDB's native library", e);
        }
        try {
            // Extracts into dir under a fixed name and loads it; RocksDB.loadLibrary then finds
            // it loaded and only records that.
            NativeLibraryLoader.getInstance().loadLibrary(dir.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load RocksDB's native library from " + dir, e);
        } finally {
            deleteQuietly(dir);
        }
        RocksDB.loadLibrary();
        loaded = true;
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // A leftover here is what RocksDB's own loader leaves every time; not worth failing for.
        }
    }
}
