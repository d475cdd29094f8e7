package dev.consensus.store.raft;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A change of one member, carried in a {@link EntryType#CONF_CHANGE} log entry. The encoding is
 * nine bytes (type, member id) so that every node decodes the same change from the same bytes.
 * The server may append a context after them (the member's name and URLs, as etcd's
 * ConfChange.Context carries them); the core carries it along and never reads it.
 */
public record ConfChange(ConfChangeType type, long memberId) {

    public ConfChange {
        if (type == null) {
            throw new IllegalArgumentException("conf change type is required");
        }
        if (memberId == RaftNode.NONE) {
            throw new IllegalArgumentException("conf change member id must not be 0");
        }
    }

    public byte[] encode() {
        return ByteBuffer.allocate(9).put((byte) type.ordinal()).putLong(memberId).array();
    }

    /** The encoding followed by the server's context bytes. */
    public byte[] encode(byte[] context) {
        return ByteBuffer.allocate(9 + context.length).put(encode()).put(context).array();
    }

    /** The context bytes after the change itself, empty when there are none. */
    public static byte[] context(byte[] data) {
        decode(data);
        return Arrays.copyOfRange(data, 9, data.length);
    }

    public static ConfChange decode(byte[] data) {
        if (data.length < 9 || data[0] < 0 || data[0] >= ConfChangeType.values().length) {
            throw new IllegalArgumentException("malformed conf change of " + data.length + " bytes");
        }
        ByteBuffer buf = ByteBuffer.wrap(data);
        return new ConfChange(ConfChangeType.values()[buf.get()], buf.getLong());
    }

    @Override
    public String toString() {
        return type.name().toLowerCase().replace('_', '-') + " " + Long.toHexString(memberId);
    }
}
