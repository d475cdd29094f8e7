package dev.consensus.faults.harness;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs mounted on one member's data directory, and a filler file that takes every
 * free byte of it: the member then meets ENOSPC on its next WAL or RocksDB write. Mounting
 * needs root (or CAP_SYS_ADMIN); where that is missing {@link #unavailable} says why and the
 * scenario reports that it was skipped, never silently.
 */
final class SmallDisk implements AutoCloseable {

    /** Room for two preallocated 64 MB WAL segments, RocksDB's files, and then some. */
    static final String SIZE = "200m";

    private final Path mountPoint;
    private final Path filler;

    private SmallDisk(Path mountPoint) {
        this.mountPoint = mountPoint;
        this.filler = mountPoint.resolve("filler");
    }

    /** Why a tmpfs cannot be mounted here, or empty when it can (tried on a probe directory). */
    static Optional<String> unavailable(Path scratch) {
        try {
            Path probe = Files.createTempDirectory(scratch, "mount-probe-");
            try {
                String mount = run(List.of("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", probe.toString()));
                if (mount != null) {
                    return Optional.of("cannot mount a tmpfs here (needs root or CAP_SYS_ADMIN): " + mount);
                }
                run(List.of("umount", probe.toString()));
                return Optional.empty();
            } finally {
                Files.deleteIfExists(probe);
            }
        } catch (IOException e) {
            return Optional.of("cannot probe for mount: " + e.getMessage());
        }
    }

    static SmallDisk mount(Path mountPoint) {
        try {
            Files.createDirectories(mountPoint);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String error = run(List.of("mount", "-t", "tmpfs", "-o", "size=" + SIZE, "tmpfs", mountPoint.toString()));
        if (error != null) {
            throw new IllegalStateException("mount tmpfs on " + mountPoint + " failed: " + error);
        }
        return new SmallDisk(mountPoint);
    }

    /** Appends to the filler until the file system is full; returns the bytes it took this time. */
    long fill() {
        long written = 0;
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(filler, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND)) {
            while (written < (1L << 32)) {
                out.write(block);
                written += block.length;
            }
        } catch (IOException full) {
            // ENOSPC: exactly what was wanted. Smaller writes take the last partial block.
            try (OutputStream out = Files.newOutputStream(filler, java.nio.file.StandardOpenOption.APPEND)) {
                byte[] small = new byte[4096];
                while (true) {
                    out.write(small);
                    written += small.length;
                }
            } catch (IOException alsoFull) {
                // Now no block is left.
            }
        }
        return written;
    }

    void free() {
        try {
            Files.deleteIfExists(filler);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        run(List.of("umount", "-l", mountPoint.toString()));
    }

    /** Runs a short command; null on success, else its output and exit code. */
    private static String run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return String.join(" ", command) + " did not finish in 10 s";
            }
            String out = new String(p.getInputStream().readAllBytes()).strip();
            return p.exitValue() == 0 ? null : "exit " + p.exitValue() + ": " + out;
        } catch (IOException e) {
            return e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
