package dev.consensus.store.mvcc;

import java.util.ArrayList;
import java.util.List;

/**
 * One life of a key: the revisions from a creation up to and including the tombstone that ended
 * it (the newest generation of a live key has no tombstone yet; that of a deleted key is empty).
 *
 * <p>Invariant: {@code revisions} ascend; {@code version} is the key's version at the last of them,
 * so the version at position {@code i} is {@code version - (size - 1 - i)} even after compaction
 * dropped a prefix.
 */
final class Generation {

    private Revision created;
    private long version;
    private List<Revision> revisions = new ArrayList<>();

    boolean isEmpty() {
        return revisions.isEmpty();
    }

    Revision created() {
        return created;
    }

    long version() {
        return version;
    }

    List<Revision> revisions() {
        return revisions;
    }

    Revision first() {
        return revisions.get(0);
    }

    Revision last() {
        return revisions.get(revisions.size() - 1);
    }

    void append(Revision revision) {
        if (revisions.isEmpty()) {
            created = revision;
        }
        revisions.add(revision);
        version++;
    }

    /** Starts this (empty) generation from a stored write whose earlier history is compacted away. */
    void restore(Revision createdRevision, Revision revision, long versionAtRevision) {
        created = createdRevision;
        version = versionAtRevision;
        revisions.add(revision);
    }

    /** Position of the newest revision with main revision at most {@code atRev}, or -1. */
    int newestAtOrBefore(long atRev) {
        for (int i = revisions.size() - 1; i >= 0; i--) {
            if (revisions.get(i).main() <= atRev) {
                return i;
            }
        }
        return -1;
    }

    long versionAt(int position) {
        return version - (revisions.size() - 1 - position);
    }

    /** Undoes the last {@link #append}. */
    void removeLast() {
        revisions.remove(revisions.size() - 1);
        version--;
        if (revisions.isEmpty()) {
            created = null;
        }
    }

    void dropBefore(int position) {
        revisions = new ArrayList<>(revisions.subList(position, revisions.size()));
    }
}
