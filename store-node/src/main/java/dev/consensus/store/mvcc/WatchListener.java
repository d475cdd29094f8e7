package dev.consensus.store.mvcc;

import dev.consensus.api.etcdserverpb.WatchResponse;

/**
 * Receives what one watch stream sends, as etcd's WatchResponse messages ready to forward (the
 * server adds cluster id, member id and raft term to the header).
 *
 * <p>Threading: every call comes from the stream's own dispatcher thread, one at a time, in the
 * order the client must see them. The apply path never calls a listener, so a slow listener
 * delays only its own stream: its watchers fall behind and read the history from RocksDB when it
 * returns (or are cancelled with the compact revision if compaction overtakes them). A listener
 * should hand the response to the transport and return; it may call back into its stream.
 */
@FunctionalInterface
public interface WatchListener {

    void onResponse(WatchResponse response);

    /** The stream has stopped (closed by the caller or the store, or a listener call threw). */
    default void onClose() {
    }
}
