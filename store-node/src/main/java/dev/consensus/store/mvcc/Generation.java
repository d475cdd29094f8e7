package dev.consensus.store.mvcc;

import java.util.Arrays;

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
    // The revisions, packed: main and sub of the i-th at 2i and 2i+1. A key written a million
    // times holds a million revisions; as objects they were most of what the old generation's
    // collector had to trace under a write load.
    private long[] revisions = new long[4];
    private int size;

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    Revision created() {
        return created;
    }

    long version() {
        return version;
    }

    Revision revisionAt(int position) {
        return new Revision(revisions[2 * position], revisions[2 * position + 1]);
    }

    long mainAt(int position) {
        return revisions[2 * position];
    }

    long firstMain() {
        return mainAt(0);
    }

    long lastMain() {
        return mainAt(size - 1);
    }

    void append(Revision revision) {
        if (size == 0) {
            created = revision;
        }
        add(revision);
        version++;
    }

    /** Starts this (empty) generation from a stored write whose earlier history is compacted away. */
    void restore(Revision createdRevision, Revision revision, long versionAtRevision) {
        created = createdRevision;
        version = versionAtRevision;
        add(revision);
    }

    /** Position of the newest revision with main revision at most {@code atRev}, or -1. */
    int newestAtOrBefore(long atRev) {
        for (int i = size - 1; i >= 0; i--) {
            if (mainAt(i) <= atRev) {
                return i;
            }
        }
        return -1;
    }

    long versionAt(int position) {
        return version - (size - 1 - position);
    }

    /** Undoes the last {@link #append}. */
    void removeLast() {
        size--;
        version--;
        if (size == 0) {
            created = null;
        }
    }

    void dropBefore(int position) {
        int left = size - position;
        long[] kept = new long[Math.max(4, 2 * left)];
        System.arraycopy(revisions, 2 * position, kept, 0, 2 * left);
        revisions = kept;
        size = left;
    }

    private void add(Revision revision) {
        if (2 * size == revisions.length) {
            revisions = Arrays.copyOf(revisions, revisions.length * 2);
        }
        revisions[2 * size] = revision.main();
        revisions[2 * size + 1] = revision.sub();
        size++;
    }
}
