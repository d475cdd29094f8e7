package dev.consensus.store.raft;

/**
 * Something to be placed in the log: the leader gives it an index and term when it appends it.
 * The payload array must not be changed after it is handed over.
 */
public record Proposal(EntryType type, byte[] data) {

    public Proposal {
        if (type == null) {
            throw new IllegalArgumentException("proposal type is required");
        }
        data = data == null ? new byte[0] : data;
    }

    public static Proposal of(byte[] data) {
        return new Proposal(EntryType.NORMAL, data);
    }

    public static Proposal of(ConfChange change) {
        return new Proposal(EntryType.CONF_CHANGE, change.encode());
    }

    Entry toEntry(long index, long term) {
        return new Entry(index, term, type, data);
    }
}
