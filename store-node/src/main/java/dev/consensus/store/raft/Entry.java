package dev.consensus.store.raft;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * One slot of the replicated log. Entries are immutable once created: the payload array is
 * never written after construction, by the core or, by contract, by anyone holding it.
 */
public record Entry(long index, long term, EntryType type, byte[] data) {

    private static final byte[] EMPTY = new byte[0];

    public Entry {
        if (index < 1) {
            throw new IllegalArgumentException("entry index must be >= 1, got " + index);
        }
        if (term < 1) {
            throw new IllegalArgumentException("entry term must be >= 1, got " + term);
        }
        if (type == null) {
            throw new IllegalArgumentException("entry type is required");
        }
        data = data == null ? EMPTY : data;
    }

    public static Entry normal(long index, long term, byte[] data) {
        return new Entry(index, term, EntryType.NORMAL, data);
    }

    public static Entry confChange(long index, long term, ConfChange change) {
        return new Entry(index, term, EntryType.CONF_CHANGE, change.encode());
    }


    /** Bytes this entry counts for in message-size and flow-control limits. */
    public long sizeBytes() {
        return data.length + 24L;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Entry e && e.index == index && e.term == term && e.type == type
                && Arrays.equals(e.data, data);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(index) * 31 + Long.hashCode(term) * 17 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        String payload = data.length <= 16 ? HexFormat.of().formatHex(data) : data.length + " bytes";
        return index + "/" + term + (type == EntryType.CONF_CHANGE ? " conf " : " ") + payload;
    }
}
