package dev.consensus.store.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Every file-system operation the write-ahead log and the snapshot store perform, and nothing
 * more. It exists so that tests can put a fault-injecting layer between the storage code and
 * the disk (power loss, torn writes, bit flips) while the storage code stays unaware of it.
 *
 * <p>Durability follows POSIX: written bytes are durable only after {@link FileHandle#force()},
 * and a created, renamed or deleted name only after {@link #syncDirectory} of its directory.
 */
public interface FileLayer {

    /** Creates a new empty file, failing if it already exists; its name is not yet durable. */
    FileHandle create(Path file) throws IOException;

    /** Opens an existing file for reading and writing. */
    FileHandle open(Path file) throws IOException;

    /** Whether a file or directory exists at {@code path}. */
    boolean exists(Path path);

    /** The regular files directly inside {@code dir}, sorted by name. */
    List<Path> list(Path dir) throws IOException;

    /** Deletes a file; durable only after {@link #syncDirectory} of its directory. */
    void delete(Path file) throws IOException;

    /** Atomically renames {@code from} to {@code to} in the same directory, replacing {@code to}. */
    void rename(Path from, Path to) throws IOException;

    /** Makes the names created, renamed and deleted in {@code dir} durable (fsync on the directory). */
    void syncDirectory(Path dir) throws IOException;

    /** Creates {@code dir} and any missing parents, each made durable in its parent directory. */
    void createDirectories(Path dir) throws IOException;
}
