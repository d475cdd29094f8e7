package dev.consensus.store.raft;

/**
 * The state machine's state up to and including {@code metadata.index()}, opaque to the core,
 * which only moves it from a leader to a member that is too far behind.
 */
public record Snapshot(SnapshotMetadata metadata, byte[] data) {

    public static final Snapshot EMPTY = new Snapshot(SnapshotMetadata.EMPTY, new byte[0]);

    public Snapshot {
        data = data == null ? new byte[0] : data;
    }

    public long index() {
        return metadata.index();
    }

    public long term() {
        return metadata.term();
    }

    public boolean isEmpty() {
        return metadata.index() == 0;
    }

    @Override
    public String toString() {
        return "snapshot@" + index() + "/" + term() + " " + metadata.confState() + " " + data.length + " bytes";
    }
}
