package dev.consensus.store.mvcc;

/**
 * One write's place in the store's history: the main revision is the store-wide revision of the
 * request (one per put, delete or txn that changes something), the sub revision orders the writes
 * inside it.
 */
record Revision(long main, long sub) implements Comparable<Revision> {

    @Override
    public int compareTo(Revision o) {
        int byMain = Long.compare(main, o.main);
        return byMain != 0 ? byMain : Long.compare(sub, o.sub);
    }

    @Override
    public String toString() {
        return main + "." + sub;
    }
}
