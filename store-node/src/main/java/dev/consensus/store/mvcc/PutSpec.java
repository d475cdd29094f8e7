package dev.consensus.store.mvcc;

import com.google.protobuf.ByteString;

/** A put in the store's own terms (etcd's PutRequest). */
record PutSpec(ByteString key, ByteString value, long lease, boolean prevKv, boolean ignoreValue,
        boolean ignoreLease) {
}
