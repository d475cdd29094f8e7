package dev.consensus.store.mvcc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checkpoints of a store and their restore. A checkpoint is a RocksDB checkpoint (hard links to
 * the immutable files plus a copy of the rest) taken while no entry is being applied, so its data
 * and its applied index agree, plus a small metadata file {@value #INFO_FILE} with the applied
 * position, revision and membership, CRC32C-checked, so the server can build a Raft snapshot's
 * metadata without opening the database.
 */
final class Checkpoints {

    private static final Logger LOG = LoggerFactory.getLogger(Checkpoints.class);
    static final String INFO_FILE = "mvcc-snapshot.info";
    private static final byte[] MAGIC = "MVCCSNAP".getBytes(StandardCharsets.US_ASCII);
    private static final int FORMAT = 1;

    private Checkpoints() {
    }

    static SnapshotInfo create(KvStore store, Path target) {
        if (Files.exists(target)) {
            throw new IllegalArgumentException("checkpoint target " + target + " already exists");
        }
        // Most of a checkpoint's time is the flush of the memtables. Done first without the lock,
        // it leaves only what was applied meanwhile to flush while applies wait.
        long start = System.nanoTime();
        store.flush();
        long locked = System.nanoTime();
        SnapshotInfo info = store.exclusive(backend -> {
            createParent(target);
            backend.checkpoint(target);
            return new SnapshotInfo(store.appliedIndex(), store.appliedTerm(), store.currentRevision(),
                    store.membership());
        });
        long end = System.nanoTime();
        LOG.info("checkpoint at applied index {} took {} ms, of which applies waited {} ms", info.appliedIndex(),
                (end - start) / 1_000_000, (end - locked) / 1_000_000);
        writeInfo(target, info);
        return info;
    }

    /** Copies a checkpoint into a new, empty data directory and checks what it holds. */
    static SnapshotInfo restore(Path checkpoint, Path dataDir) {
        SnapshotInfo info = readInfo(checkpoint);
        try {
            if (Files.exists(dataDir)) {
                try (Stream<Path> entries = Files.list(dataDir)) {
                    if (entries.findAny().isPresent()) {
                        throw new IllegalArgumentException("restore target " + dataDir + " is not empty");
                    }
                }
            }
            Files.createDirectories(dataDir);
            List<Path> files;
            try (Stream<Path> entries = Files.list(checkpoint)) {
                files = entries.filter(Files::isRegularFile)
                        .filter(p -> !p.getFileName().toString().equals(INFO_FILE)).toList();
            }
            for (Path file : files) {
                Path copy = dataDir.resolve(file.getFileName().toString());
                Files.copy(file, copy);
                force(copy);
            }
            force(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restore " + checkpoint + " into " + dataDir, e);
        }
        try (RocksBackend backend = RocksBackend.open(dataDir)) {
            StoreMeta meta = StoreMeta.read(backend);
            if (meta.appliedIndex() != info.appliedIndex() || meta.currentRevision() != info.revision()) {
                throw new MvccStorageException("checkpoint " + checkpoint + " holds applied index "
                        + meta.appliedIndex() + " and revision " + meta.currentRevision() + " but its "
                        + INFO_FILE + " says " + info);
            }
        }
        return info;
    }

    static SnapshotInfo readInfo(Path checkpoint) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(checkpoint.resolve(INFO_FILE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + INFO_FILE + " in " + checkpoint, e);
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        int fixed = MAGIC.length + 4 + 8 * 3 + 4;
        if (bytes.length < fixed + 4) {
            throw corrupt(checkpoint, "too short");
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        if ((int) crc.getValue() != buffer.getInt(bytes.length - 4)) {
            throw corrupt(checkpoint, "checksum mismatch");
        }
        byte[] magic = new byte[MAGIC.length];
        buffer.get(magic);
        if (!Arrays.equals(magic, MAGIC) || buffer.getInt() != FORMAT) {
            throw corrupt(checkpoint, "unknown format");
        }
        long index = buffer.getLong();
        long term = buffer.getLong();
        long revision = buffer.getLong();
        int length = buffer.getInt();
        if (length < 0 || length != bytes.length - fixed - 4) {
            throw corrupt(checkpoint, "bad membership length");
        }
        byte[] membership = new byte[length];
        buffer.get(membership);
        return new SnapshotInfo(index, term, revision, membership);
    }

    private static void writeInfo(Path target, SnapshotInfo info) {
        byte[] membership = info.membership();
        ByteBuffer buffer = ByteBuffer.allocate(MAGIC.length + 4 + 8 * 3 + 4 + membership.length + 4);
        buffer.put(MAGIC).putInt(FORMAT).putLong(info.appliedIndex()).putLong(info.appliedTerm())
                .putLong(info.revision()).putInt(membership.length).put(membership);
        CRC32C crc = new CRC32C();
        crc.update(buffer.array(), 0, buffer.position());
        buffer.putInt((int) crc.getValue());
        buffer.flip();
        Path file = target.resolve(INFO_FILE);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        force(target);
    }

    private static void createParent(Path target) {
        Path parent = target.toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + parent, e);
        }
    }

    /** fsync of a file or a directory (the latter makes new names in it durable on Linux). */
    private static void force(Path path) {
        boolean directory = Files.isDirectory(path);
        try (FileChannel channel = FileChannel.open(path, directory ? StandardOpenOption.READ : StandardOpenOption.WRITE)) {
            channel.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot fsync " + path, e);
        }
    }

    private static MvccStorageException corrupt(Path checkpoint, String why) {
        return new MvccStorageException(INFO_FILE + " in " + checkpoint + " is corrupt: " + why);
    }
}
