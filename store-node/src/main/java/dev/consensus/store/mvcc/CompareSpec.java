package dev.consensus.store.mvcc;

import com.google.protobuf.ByteString;

/**
 * One txn compare in the store's own terms. The operand is the one matching the target; etcd
 * compares against 0 (or the empty value) when the request set a different one.
 */
record CompareSpec(KeyRange range, Target target, Result result, long number, ByteString value) {

    /** What is compared; UNKNOWN (a value etcd does not define) compares as equal. */
    enum Target { VERSION, CREATE, MOD, VALUE, LEASE, UNKNOWN }

    /** How it is compared; UNKNOWN (a value etcd does not define) always holds. */
    enum Result { EQUAL, GREATER, LESS, NOT_EQUAL, UNKNOWN }
}
