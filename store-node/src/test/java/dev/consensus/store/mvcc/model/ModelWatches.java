package dev.consensus.store.mvcc.model;

import com.google.protobuf.ByteString;
import dev.consensus.api.etcdserverpb.ResponseHeader;
import dev.consensus.api.etcdserverpb.WatchCreateRequest;
import dev.consensus.api.etcdserverpb.WatchResponse;
import dev.consensus.api.mvccpb.Event;
import dev.consensus.api.mvccpb.KeyValue;
import java.util.ArrayList;
import java.util.List;

/**
 * The watches of a sequence and, for each, every item its stream must deliver, in order, as
 * etcd 3.4 delivers them (server/etcdserver/api/v3rpc/watch.go, mvcc/watchable_store.go).
 *
 * <p>Two details come from how etcd reads history. A watch that starts at or below the current
 * revision replays it from the backend, where a compaction at revision c kept, of the writes at
 * c, only each key's last one and only if it is not a delete. And prev_kv is read at the event's
 * revision minus one when the event is sent, so an event at the compact revision has none; a
 * PUT that creates its key never asks for one.
 */
final class ModelWatches {

    /** One watch: what it matches and what it has been sent so far. */
    static final class Watch {
        final KeySpan span;
        final long minRevision;
        final boolean prevKv;
        final boolean noPut;
        final boolean noDelete;
        /** Whether it began by replaying history (etcd: an unsynced watcher, read from the backend). */
        final boolean replays;
        final List<WatchItem> items = new ArrayList<>();
        boolean open;

        Watch(KeySpan span, long minRevision, WatchCreateRequest request, boolean replays) {
            this.span = span;
            this.replays = replays;
            this.minRevision = minRevision;
            this.prevKv = request.getPrevKv();
            this.noPut = request.getFiltersList().contains(WatchCreateRequest.FilterType.NOPUT);
            this.noDelete = request.getFiltersList().contains(WatchCreateRequest.FilterType.NODELETE);
        }

        boolean wants(ModelHistory.Change change) {
            return change.revision() >= minRevision && span.contains(change.key())
                    && !(change.tombstone() ? noDelete : noPut);
        }
    }

    private final List<Watch> watches = new ArrayList<>();

    List<Watch> all() {
        return watches;
    }

    void create(WatchCreateRequest request, ModelHistory history, long current, long compactRevision) {
        ByteString key = request.getKey().isEmpty() ? KeySpan.FROM_KEY : request.getKey();
        ByteString end = request.getRangeEnd();
        long start = request.getStartRevision();
        Watch watch = new Watch(new KeySpan(key, end), start == 0 ? current + 1 : start, request,
                start != 0 && start <= current);
        watches.add(watch);
        if (!end.isEmpty() && !end.equals(KeySpan.FROM_KEY) && KeySpan.ORDER.compare(key, end) >= 0) {
            watch.items.add(control(WatchResponse.newBuilder().setWatchId(-1).setCreated(true).setCanceled(true)
                    .setCancelReason(EtcdErrors.EMPTY_WATCHER_RANGE), current));
            return;
        }
        watch.items.add(control(WatchResponse.newBuilder().setWatchId(0).setCreated(true), current));
        if (start != 0 && start <= current && start < compactRevision) {
            // Sent from the watcher group without a revision, so its header says 0.
            watch.items.add(control(WatchResponse.newBuilder().setWatchId(0).setCanceled(true)
                    .setCompactRevision(compactRevision), 0));
            return;
        }
        watch.open = true;
        for (ModelHistory.Change change : history.since(watch.minRevision)) {
            if (watch.wants(change) && keptByCompaction(history, change, compactRevision)) {
                watch.items.add(event(watch, change, history, compactRevision));
            }
        }
    }

    void cancel(int index, long current) {
        Watch watch = watches.get(index);
        watch.open = false;
        watch.items.add(control(WatchResponse.newBuilder().setWatchId(0).setCanceled(true), current));
    }

    void progress(int index, long current) {
        watches.get(index).items.add(control(WatchResponse.newBuilder().setWatchId(-1), current));
    }

    /** Hands the writes of a revision just made to every open watch. */
    void committed(List<ModelHistory.Change> changes, ModelHistory history, long compactRevision) {
        for (Watch watch : watches) {
            if (!watch.open) {
                continue;
            }
            for (ModelHistory.Change change : changes) {
                if (watch.wants(change)) {
                    watch.items.add(event(watch, change, history, compactRevision));
                }
            }
        }
    }

    /** The store closed: its streams end, and no watch delivers anything more. */
    void closeAll() {
        watches.forEach(w -> w.open = false);
    }

    private static boolean keptByCompaction(ModelHistory history, ModelHistory.Change change, long compactRevision) {
        if (change.revision() != compactRevision) {
            return true;
        }
        return !change.tombstone() && history.lastChange(change.key(), compactRevision) == change;
    }

    private static WatchItem event(Watch watch, ModelHistory.Change change, ModelHistory history,
            long compactRevision) {
        KeyValue kv = change.kv();
        Event.Builder event = Event.newBuilder()
                .setType(change.tombstone() ? Event.EventType.DELETE : Event.EventType.PUT)
                .setKv(kv);
        boolean creates = !change.tombstone() && kv.getCreateRevision() == kv.getModRevision();
        if (watch.prevKv && !creates && change.revision() - 1 >= compactRevision) {
            KeyValue prev = history.get(change.key(), change.revision() - 1);
            if (prev != null) {
                event.setPrevKv(prev);
            }
        }
        return new WatchItem.EventItem(event.build());
    }

    private static WatchItem control(WatchResponse.Builder response, long revision) {
        return new WatchItem.Control(response.setHeader(ResponseHeader.newBuilder().setRevision(revision)).build());
    }
}
