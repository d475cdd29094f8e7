package dev.consensus.store.server;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Reads back what {@link SnapshotExport} streams and {@code etcdctl snapshot save} stores: checks
 * the SHA-256 at its end, then writes the checkpoint files it carries into a directory. A cut,
 * altered or foreign file (an etcd bbolt snapshot, say) is refused with the reason, and nothing
 * half-written is left to be mistaken for a checkpoint.
 */
final class SnapshotFile {

    private static final int SHA256_BYTES = 32;

    private SnapshotFile() {
    }

    /** Unpacks {@code file} into {@code target}, which must not exist yet. */
    static void unpack(Path file, Path target) throws IOException {
        long size = Files.size(file);
        long body = size - SHA256_BYTES;
        if (body < SnapshotExport.MAGIC.length || body % SnapshotExport.BLOCK != 0) {
            throw new IOException("snapshot missing hash: " + file + " is " + size
                    + " bytes, not a store-node snapshot of whole blocks and a SHA-256");
        }
        MessageDigest sha = sha256();
        Files.createDirectories(target.getParent());
        Files.createDirectory(target);
        boolean unpacked = false;
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
            DigestInputStream digested = new DigestInputStream(new LimitedStream(raw, body), sha);
            DataInputStream in = new DataInputStream(digested);
            byte[] magic = in.readNBytes(SnapshotExport.MAGIC.length);
            if (!Arrays.equals(magic, SnapshotExport.MAGIC)) {
                throw new IOException(file + " is not a store-node snapshot (an etcd snapshot is a bbolt database, "
                        + "which store-node cannot restore; take the snapshot from a store-node member)");
            }
            for (String name = in.readUTF(); !name.isEmpty(); name = in.readUTF()) {
                copy(in, in.readLong(), target.resolve(checkedName(name)));
            }
            for (int b = in.read(); b != -1; b = in.read()) {
                if (b != 0) {
                    throw new IOException("snapshot file integrity check failed: bytes after the last file are not "
                            + "padding");
                }
            }
            byte[] expected = raw.readNBytes(SHA256_BYTES);
            byte[] actual = sha.digest();
            if (!Arrays.equals(expected, actual)) {
                throw new IOException("expected sha256 " + HexFormat.of().formatHex(expected) + ", got "
                        + HexFormat.of().formatHex(actual));
            }
            unpacked = true;
        } catch (EOFException e) {
            throw new IOException("snapshot file integrity check failed: " + file + " ends inside a file it lists", e);
        } finally {
            if (!unpacked) {
                StoreServer.deleteRecursively(target);
            }
        }
    }

    private static String checkedName(String name) throws IOException {
        if (name.contains("/") || name.contains("\\") || name.equals(".") || name.equals("..")) {
            throw new IOException("snapshot file integrity check failed: it names a file \"" + name
                    + "\" outside its checkpoint");
        }
        return name;
    }

    private static void copy(InputStream in, long length, Path to) throws IOException {
        if (length < 0) {
            throw new IOException("snapshot file integrity check failed: a file of " + length + " bytes");
        }
        try (OutputStream out = Files.newOutputStream(to)) {
            byte[] buffer = new byte[64 * 1024];
            long left = length;
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    throw new EOFException();
                }
                out.write(buffer, 0, n);
                left -= n;
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first {@code limit} bytes of a stream; the rest (the trailer) stays unread. */
    private static final class LimitedStream extends InputStream {
        private final InputStream in;
        private long left;

        LimitedStream(InputStream in, long limit) {
            this.in = in;
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }
}
