package dev.consensus.store.raft;

import java.nio.ByteBuffer;

/**
 * A change of one member, carried in a {@link EntryType#CONF_CHANGE} log entry. The encoding is
 * nine bytes (type, member id) so that every node decodes the same change from the same bytes.
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

    public static ConfChange decode(byte[] data) {
        if (data.length != 9 || data[0] < 0 || data[0] >= ConfChangeType.values().length) {
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
