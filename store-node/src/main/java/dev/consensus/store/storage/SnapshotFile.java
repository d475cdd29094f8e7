package dev.consensus.store.storage;

import dev.consensus.store.raft.ConfState;
import dev.consensus.store.raft.Snapshot;
import dev.consensus.store.raft.SnapshotMetadata;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The format of a Raft snapshot file, {@code %016x-%016x.snap} (term, index):
 * <pre>
 *   int magic "SNAP", short version, long index, long term,
 *   int voter count, long ids, int learner count, long ids,
 *   int data length, data bytes,
 *   int CRC32C of everything before it
 * </pre>
 * Integers are big-endian.
 */
record SnapshotFile(long term, long index) {

    static final int MAGIC = 0x534E4150; // "SNAP"
    static final int VERSION = 1;
    private static final Pattern NAME = Pattern.compile("([0-9a-f]{16})-([0-9a-f]{16})\\.snap");

    static SnapshotFile of(Snapshot snapshot) {
        return new SnapshotFile(snapshot.term(), snapshot.index());
    }

    String fileName() {
        return HexFormat.of().toHexDigits(term) + "-" + HexFormat.of().toHexDigits(index) + ".snap";
    }

    static Optional<SnapshotFile> parse(String fileName) {
        Matcher m = NAME.matcher(fileName);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new SnapshotFile(Long.parseUnsignedLong(m.group(1), 16), Long.parseUnsignedLong(m.group(2), 16)));
    }

    static byte[] encode(Snapshot snapshot) {
        ConfState conf = snapshot.metadata().confState();
        int size = 4 + 2 + 8 + 8 + 4 + 8 * conf.voters().size() + 4 + 8 * conf.learners().size() + 4
                + snapshot.data().length + 4;
        ByteBuffer buf = ByteBuffer.allocate(size);
        buf.putInt(MAGIC).putShort((short) VERSION).putLong(snapshot.index()).putLong(snapshot.term());
        buf.putInt(conf.voters().size());
        conf.voters().forEach(buf::putLong);
        buf.putInt(conf.learners().size());
        conf.learners().forEach(buf::putLong);
        buf.putInt(snapshot.data().length).put(snapshot.data());
        buf.putInt(Frame.crc(buf.array(), 0, buf.position()));
        return buf.array();
    }

    /**
     * Decodes a file's content and checks it is this snapshot.
     *
     * @throws IllegalArgumentException naming what is wrong with the bytes
     */
    Snapshot decode(byte[] bytes) {
        if (bytes.length < 4 || Frame.crc(bytes, 0, bytes.length - 4) != ByteBuffer.wrap(bytes, bytes.length - 4, 4).getInt()) {
            throw new IllegalArgumentException("its checksum does not match (" + bytes.length + " bytes)");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes, 0, bytes.length - 4);
        try {
            if (buf.getInt() != MAGIC || buf.getShort() != VERSION) {
                throw new IllegalArgumentException("it is not a snapshot file of format version " + VERSION);
            }
            long idx = buf.getLong();
            long trm = buf.getLong();
            if (idx != index || trm != term) {
                throw new IllegalArgumentException("it holds the snapshot at index " + idx + " and term " + trm);
            }
            ConfState conf = new ConfState(ids(buf), ids(buf));
            byte[] data = new byte[buf.getInt()];
            buf.get(data);
            if (buf.hasRemaining()) {
                throw new IllegalArgumentException(buf.remaining() + " unexpected bytes after its data");
            }
            return new Snapshot(new SnapshotMetadata(index, term, conf), data);
        } catch (BufferUnderflowException | NegativeArraySizeException e) {
            throw new IllegalArgumentException("it is shorter than its fields say", e);
        }
    }

    private static Set<Long> ids(ByteBuffer buf) {
        int count = buf.getInt();
        if (count < 0 || count > buf.remaining() / 8) {
            throw new IllegalArgumentException("it claims " + count + " members");
        }
        Set<Long> ids = new LinkedHashSet<>();
        for (int i = 0; i < count; i++) {
            ids.add(buf.getLong());
        }
        return ids;
    }
}
