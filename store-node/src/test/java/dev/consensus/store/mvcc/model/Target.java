package dev.consensus.store.mvcc.model;

import java.time.Duration;
import java.util.List;

/**
 * Something that answers etcd operations and can be compared with the model: the store, or a
 * real etcd. Requests arrive with the target's own lease ids (see {@link LeaseIds}); answers and
 * watch items leave raw, to be normalised by the caller.
 */
public interface Target extends AutoCloseable {

    /** A short name for failure messages. */
    String name();

    /** Sends one operation and returns what a client would see. */
    Outcome run(ModelOp op);

    /** What the stream of the watch with this index has delivered so far, in order. */
    List<WatchItem> items(int watch);

    /** Waits, at most {@code timeout}, until that stream has delivered {@code count} items. */
    void awaitItems(int watch, int count, Duration timeout);

    /**
     * Closes and reopens the target on its data (a {@link ModelOp.Reopen}) and checks what must
     * survive it exactly, throwing {@link AssertionError} if not. Targets that cannot restart
     * throw {@link UnsupportedOperationException}.
     */
    void reopen();

    @Override
    void close();
}
