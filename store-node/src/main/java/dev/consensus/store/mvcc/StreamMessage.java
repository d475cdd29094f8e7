package dev.consensus.store.mvcc;

import dev.consensus.api.mvccpb.Event;
import java.util.List;

/**
 * What a watch stream tells its client, in the store's own terms; {@link WatchResponses} turns
 * each into etcd's WatchResponse. {@code revision} is the header revision etcd sends with it.
 */
sealed interface StreamMessage {

    long revision();

    /** A watch now exists; its events follow this message, never precede it. */
    record Created(long watchId, long revision) implements StreamMessage { }

    /** A create request was refused; etcd answers with created and canceled both set, id -1. */
    record Refused(String reason, long revision) implements StreamMessage { }

    /** A cancel request was done; no event of the watch follows. */
    record Canceled(long watchId, long revision) implements StreamMessage { }

    /** The watch needed history below the compact revision; it has ended. */
    record Compacted(long watchId, long compactRevision, long revision) implements StreamMessage { }

    /** Events of whole revisions, in revision order, after every event sent before on this watch. */
    record Events(long watchId, long revision, List<Event> events) implements StreamMessage { }

    /** Nothing is pending up to {@code revision}; watch id -1 speaks for every watch of the stream. */
    record Progress(long watchId, long revision) implements StreamMessage { }
}
