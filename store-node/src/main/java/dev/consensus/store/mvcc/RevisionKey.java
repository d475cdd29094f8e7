package dev.consensus.store.mvcc;

import java.nio.ByteBuffer;

/**
 * The RocksDB key of one stored write in the {@code kv} column family: the main revision and the
 * sub revision as 8-byte big-endian numbers, then the byte {@code 't'} if the write is a
 * tombstone. Big-endian non-negative numbers sort as numbers under RocksDB's bytewise order, so
 * iterating the column family walks history in revision order.
 */
record RevisionKey(Revision revision, boolean tombstone) {

    static final int LENGTH = 16;
    static final byte TOMBSTONE_MARK = 't';

    byte[] encode() {
        ByteBuffer buffer = ByteBuffer.allocate(tombstone ? LENGTH + 1 : LENGTH);
        buffer.putLong(revision.main()).putLong(revision.sub());
        if (tombstone) {
            buffer.put(TOMBSTONE_MARK);
        }
        return buffer.array();
    }

    /** The first key at or after every write of main revision {@code main}. */
    static byte[] startOf(long main) {
        return ByteBuffer.allocate(LENGTH).putLong(main).putLong(0).array();
    }

    static RevisionKey decode(byte[] key) {
        boolean tombstone = key.length == LENGTH + 1 && key[LENGTH] == TOMBSTONE_MARK;
        if (key.length != LENGTH && !tombstone) {
            throw new MvccStorageException("corrupt revision key of " + key.length + " bytes in the kv column family");
        }
        ByteBuffer buffer = ByteBuffer.wrap(key);
        return new RevisionKey(new Revision(buffer.getLong(), buffer.getLong()), tombstone);
    }
}
