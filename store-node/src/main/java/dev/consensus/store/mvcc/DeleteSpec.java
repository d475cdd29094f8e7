package dev.consensus.store.mvcc;

/** A delete range in the store's own terms (etcd's DeleteRangeRequest). */
record DeleteSpec(KeyRange range, boolean prevKv) {
}
