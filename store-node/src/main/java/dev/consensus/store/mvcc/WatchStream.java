package dev.consensus.store.mvcc;

import dev.consensus.api.etcdserverpb.WatchCreateRequest;

/**
 * The watches of one client stream (one gRPC Watch call), with etcd's per-stream behaviour: watch
 * ids are chosen per stream from 0 up unless the client picks one, a progress request is answered
 * for the whole stream, and responses arrive through one {@link WatchListener} in order.
 *
 * <p>Guarantees per watch: a {@code created} response first; then the events from the start
 * revision on (0 means the next revision) that match its key range and filters, every one exactly
 * once, in revision order, the events of one revision always in one response; a watch whose
 * start is below the compact revision gets a response with {@code compact_revision} and {@code
 * canceled} set instead, and ends. After the {@code canceled} response to {@link #cancel}, nothing
 * more comes for that id.
 */
public final class WatchStream implements AutoCloseable {

    private final WatchDispatcher dispatcher;

    WatchStream(WatchDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    /**
     * Creates a watch and returns its id. When etcd would refuse it (negative start revision,
     * {@code key >= range_end}, an id already in use on this stream) the listener gets etcd's
     * created-and-canceled response with the reason, and this returns -1.
     */
    public long watch(WatchCreateRequest request) {
        return dispatcher.watch(ProtoRequests.watch(request));
    }

    /** Cancels a watch; the listener gets a {@code canceled} response. False for an unknown id. */
    public boolean cancel(long watchId) {
        return dispatcher.cancel(watchId);
    }

    /**
     * etcd's WatchProgressRequest: once every watch of the stream has caught up, the listener gets
     * one response with watch id -1, no events and the current revision in the header. Like etcd
     * 3.6 (and unlike 3.4), a request made while some watch is behind is answered when it catches
     * up rather than dropped; on a stream without watches it is dropped.
     */
    public void requestProgress() {
        dispatcher.requestProgress();
    }

    /**
     * The server's periodic tick (etcd: every 10 minutes) for watches created with {@code
     * progress_notify}: each such watch that is caught up and got no events since the last tick
     * gets an empty response with its own id and the current revision.
     */
    public void progressTick() {
        dispatcher.progressTick();
    }

    @Override
    public void close() {
        dispatcher.close();
    }
}
