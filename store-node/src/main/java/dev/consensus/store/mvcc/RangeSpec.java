package dev.consensus.store.mvcc;

/**
 * A range read in the store's own terms (etcd's RangeRequest without the transport fields).
 *
 * @param range     the keys to read
 * @param limit     the most keys returned when positive; {@code more} tells whether others matched
 * @param revision  the revision to read at; 0 or less means the current one
 * @param sortOrder etcd's sort order; NONE with a target other than KEY sorts ascending
 */
record RangeSpec(KeyRange range, long limit, long revision, boolean keysOnly, boolean countOnly,
        SortOrder sortOrder, SortTarget sortTarget, long minModRevision, long maxModRevision,
        long minCreateRevision, long maxCreateRevision) {

    /** etcd's orders, plus UNKNOWN for a value etcd does not define: it fetches all and sorts nothing. */
    enum SortOrder { NONE, ASCEND, DESCEND, UNKNOWN }

    /** etcd's sort targets; a value etcd does not define is read as KEY. */
    enum SortTarget { KEY, VERSION, CREATE, MOD, VALUE }

    /** etcd reads every match (not just {@code limit + 1}) when it must sort or filter afterwards. */
    boolean needsEveryMatch() {
        return sortOrder != SortOrder.NONE || minModRevision != 0 || maxModRevision != 0
                || minCreateRevision != 0 || maxCreateRevision != 0;
    }
}
