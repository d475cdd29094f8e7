package dev.consensus.store.storage;

import dev.consensus.store.raft.Snapshot;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The snap directory: one file per Raft snapshot. A file is written under a temporary name,
 * fsynced, renamed into place and made durable with a directory fsync, so a file with a
 * snapshot's name is always complete; the WAL's snapshot marker is appended only after that.
 */
final class SnapshotStore {

    private final FileLayer files;
    private final Path dir;

    SnapshotStore(FileLayer files, Path dir) {
        this.files = files;
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    Path path(SnapshotFile name) {
        return dir.resolve(name.fileName());
    }

    void save(Snapshot snapshot) throws IOException {
        SnapshotFile name = SnapshotFile.of(snapshot);
        Path tmp = dir.resolve(name.fileName() + ".tmp");
        if (files.exists(tmp)) {
            files.delete(tmp);
        }
        try (FileHandle handle = files.create(tmp)) {
            handle.write(ByteBuffer.wrap(SnapshotFile.encode(snapshot)), 0);
            handle.force();
        }
        files.rename(tmp, path(name));
        files.syncDirectory(dir);
    }

    /**
     * Reads a snapshot file.
     *
     * @throws IllegalArgumentException when the file is missing or damaged, saying which and why
     */
    Snapshot load(SnapshotFile name) throws IOException {
        Path path = path(name);
        if (!files.exists(path)) {
            throw new IllegalArgumentException("it is missing");
        }
        try (FileHandle handle = files.open(path)) {
            return name.decode(handle.readAll());
        }
    }

    /** The snapshot files present, newest (highest index) first. */
    List<SnapshotFile> list() throws IOException {
        List<SnapshotFile> out = new ArrayList<>();
        if (!files.exists(dir)) {
            return out;
        }
        for (Path p : files.list(dir)) {
            SnapshotFile.parse(p.getFileName().toString()).ifPresent(out::add);
        }
        out.sort(Comparator.comparingLong(SnapshotFile::index).thenComparingLong(SnapshotFile::term).reversed());
        return out;
    }

    /** Files of interrupted saves. */
    List<Path> leftovers() throws IOException {
        if (!files.exists(dir)) {
            return List.of();
        }
        return files.list(dir).stream().filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
    }

    /** Deletes all but the {@code keep} newest snapshot files; never {@code protect}. */
    void retainNewest(int keep, SnapshotFile protect) throws IOException {
        List<SnapshotFile> all = list();
        boolean deleted = false;
        for (int i = keep; i < all.size(); i++) {
            if (!all.get(i).equals(protect)) {
                files.delete(path(all.get(i)));
                deleted = true;
            }
        }
        if (deleted) {
            files.syncDirectory(dir);
        }
    }

    /** Renames a damaged file out of the way, keeping it for inspection. */
    void setAside(SnapshotFile name) throws IOException {
        if (files.exists(path(name))) {
            files.rename(path(name), dir.resolve(name.fileName() + ".broken"));
            files.syncDirectory(dir);
        }
    }
}
