package dev.consensus.store.transport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** The files of a snapshot checkpoint as they travel: relative, '/'-separated names and sizes. */
final class SnapshotFiles {

    /** One file of a checkpoint directory. */
    record LocalFile(String name, Path path, long size) {}

    private SnapshotFiles() {
    }

    /** Every regular file under {@code dir}, in name order, so both ends see the same list. */
    static List<LocalFile> list(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            List<Path> files = walk.filter(Files::isRegularFile).toList();
            List<LocalFile> out = new ArrayList<>();
            for (Path file : files) {
                out.add(new LocalFile(name(dir.relativize(file)), file, Files.size(file)));
            }
            out.sort(Comparator.comparing(LocalFile::name));
            return out;
        }
    }

    private static String name(Path relative) {
        StringBuilder name = new StringBuilder();
        for (Path part : relative) {
            if (!name.isEmpty()) {
                name.append('/');
            }
            name.append(part);
        }
        return name.toString();
    }

    /**
     * Where a received file goes under {@code dir}, or why its name is refused: a sender must not
     * be able to write outside the directory it was given, whatever names it sends.
     */
    static Path resolve(Path dir, String name) {
        if (name.isEmpty() || name.startsWith("/") || name.indexOf('\\') >= 0 || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("snapshot file name is not a relative path: \"" + name + "\"");
        }
        for (String part : name.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                throw new IllegalArgumentException("snapshot file name has an empty, . or .. part: \"" + name + "\"");
            }
        }
        Path target = dir.resolve(name).normalize();
        if (!target.startsWith(dir.normalize())) {
            throw new IllegalArgumentException("snapshot file name leaves the snapshot directory: \"" + name + "\"");
        }
        return target;
    }

    /** Removes a directory and everything under it; used for a snapshot that did not arrive whole. */
    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
