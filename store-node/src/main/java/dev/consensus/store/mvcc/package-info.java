/**
 * etcd's MVCC key space on RocksDB: the state machine every committed Raft entry is applied to.
 *
 * <p>{@link dev.consensus.store.mvcc.MvccStore} is the one entry point. Its API speaks etcd's
 * request and response messages so the gRPC services stay thin; everything behind it works on
 * this package's own records. docs/storage.md (its state machine part) describes the key layout, the threading and
 * which etcd behaviours are reproduced on purpose.
 */
package dev.consensus.store.mvcc;
