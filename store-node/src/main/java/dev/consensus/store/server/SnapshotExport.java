package dev.consensus.store.server;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

/**
 * A state-machine checkpoint as one byte stream for Maintenance/Snapshot: for each file its name,
 * length and bytes; an empty name; zero padding to a 512-byte boundary; then (as etcd does) the
 * SHA-256 of everything before, so a reader can tell a complete download from a cut one. Closing
 * it deletes the checkpoint.
 */
public final class SnapshotExport implements AutoCloseable {

    static final int BLOCK = 512;
    static final byte[] MAGIC = "STORESNAP1".getBytes(StandardCharsets.US_ASCII);

    private final Path dir;
    private final long size;
    private final InputStream body;
    private final MessageDigest digest;
    private boolean trailerSent;

    private SnapshotExport(Path dir, long size, InputStream body, MessageDigest digest) {
        this.dir = dir;
        this.size = size;
        this.body = body;
        this.digest = digest;
    }

    static SnapshotExport of(Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(Files::isRegularFile).sorted().toList();
        }
        List<InputStream> parts = new ArrayList<>();
        long size = MAGIC.length;
        parts.add(new java.io.ByteArrayInputStream(MAGIC));
        for (Path f : files) {
            ByteArrayOutputStream header = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(header)) {
                out.writeUTF(f.getFileName().toString());
                out.writeLong(Files.size(f));
            }
            parts.add(new java.io.ByteArrayInputStream(header.toByteArray()));
            parts.add(Files.newInputStream(f));
            size += header.size() + Files.size(f);
        }
        // An empty name ends the files; zeros then pad the body to whole 512-byte blocks, because
        // etcdctl takes a download for complete only when its length is 32 past such a boundary.
        ByteArrayOutputStream end = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(end)) {
            out.writeUTF("");
        }
        size += end.size();
        int padding = (int) ((BLOCK - size % BLOCK) % BLOCK);
        end.write(new byte[padding]);
        size += padding;
        parts.add(new java.io.ByteArrayInputStream(end.toByteArray()));
        size += 32;
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            InputStream all = new DigestInputStream(new SequenceInputStream(Collections.enumeration(parts)), sha);
            return new SnapshotExport(dir, size, all, sha);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Total bytes the stream will yield, trailer included. */
    public long size() {
        return size;
    }

    /** The next chunk of at most {@code max} bytes, or null at the end. */
    public byte[] next(int max) throws IOException {
        byte[] chunk = body.readNBytes(max);
        if (chunk.length > 0) {
            return chunk;
        }
        if (!trailerSent) {
            trailerSent = true;
            return digest.digest();
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        body.close();
        StoreServer.deleteRecursively(dir);
    }
}
