package dev.consensus.store.mvcc;

import java.util.Arrays;

/**
 * What a checkpoint covers, as the server needs it for a Raft snapshot's metadata without opening
 * the checkpoint's database.
 *
 * @param appliedIndex the last Raft index the checkpoint's data reflects
 * @param appliedTerm  its term
 * @param revision     the store's revision in the checkpoint
 * @param membership   the opaque membership bytes last given to {@link MvccStore#applyMembership}
 */
public record SnapshotInfo(long appliedIndex, long appliedTerm, long revision, byte[] membership) {

    public SnapshotInfo {
        membership = membership.clone();
    }

    @Override
    public byte[] membership() {
        return membership.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SnapshotInfo s && s.appliedIndex == appliedIndex && s.appliedTerm == appliedTerm
                && s.revision == revision && Arrays.equals(s.membership, membership);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(appliedIndex) * 31 + Long.hashCode(revision) + Arrays.hashCode(membership);
    }

    @Override
    public String toString() {
        return "SnapshotInfo[index=" + appliedIndex + ", term=" + appliedTerm + ", revision=" + revision
                + ", membership=" + membership.length + " bytes]";
    }
}
