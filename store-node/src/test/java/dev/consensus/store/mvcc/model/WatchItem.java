package dev.consensus.store.mvcc.model;

import com.google.protobuf.TextFormat;
import dev.consensus.api.etcdserverpb.WatchResponse;
import dev.consensus.api.mvccpb.Event;
import java.util.ArrayList;
import java.util.List;

/**
 * One thing a watch stream delivered, in the unit the tests compare: a single event, or a
 * response without events (created, canceled, compacted, progress). Servers may batch events
 * into responses differently; etcd promises only their order, so events are compared one by one.
 */
public sealed interface WatchItem {

    record EventItem(Event event) implements WatchItem {
        @Override
        public String toString() {
            return "event { " + TextFormat.shortDebugString(event) + " }";
        }
    }

    record Control(WatchResponse response) implements WatchItem {
        @Override
        public String toString() {
            return "control { " + TextFormat.shortDebugString(response) + " }";
        }
    }

    /** Splits a response the way the tests compare it; the header keeps only its revision. */
    static List<WatchItem> of(WatchResponse response) {
        List<WatchItem> items = new ArrayList<>();
        for (Event event : response.getEventsList()) {
            items.add(new EventItem(event));
        }
        if (items.isEmpty()) {
            WatchResponse.Builder control = response.toBuilder();
            if (response.hasHeader()) {
                control.getHeaderBuilder().clearClusterId().clearMemberId().clearRaftTerm();
            }
            items.add(new Control(control.build()));
        }
        return items;
    }
}
