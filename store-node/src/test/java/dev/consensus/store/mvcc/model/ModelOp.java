package dev.consensus.store.mvcc.model;

import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;
import dev.consensus.api.etcdserverpb.CompactionRequest;
import dev.consensus.api.etcdserverpb.DeleteRangeRequest;
import dev.consensus.api.etcdserverpb.LeaseGrantRequest;
import dev.consensus.api.etcdserverpb.LeaseRevokeRequest;
import dev.consensus.api.etcdserverpb.LeaseTimeToLiveRequest;
import dev.consensus.api.etcdserverpb.PutRequest;
import dev.consensus.api.etcdserverpb.RangeRequest;
import dev.consensus.api.etcdserverpb.TxnRequest;
import dev.consensus.api.etcdserverpb.WatchCreateRequest;

/**
 * One step of a generated sequence: an etcd request exactly as a client sends it, or a watch
 * stream action, or (for the store only) a restart. Watches are named by their index in creation
 * order within the sequence; each watch lives on a stream of its own, so etcd and the store both
 * give it watch id 0.
 */
public sealed interface ModelOp {

    record Range(RangeRequest request) implements ModelOp {
    }

    record Put(PutRequest request) implements ModelOp {
    }

    record DeleteRange(DeleteRangeRequest request) implements ModelOp {
    }

    record Txn(TxnRequest request) implements ModelOp {
    }

    record Compact(CompactionRequest request) implements ModelOp {
    }

    record LeaseGrant(LeaseGrantRequest request) implements ModelOp {
    }

    record LeaseRevoke(LeaseRevokeRequest request) implements ModelOp {
    }

    record LeaseTimeToLive(LeaseTimeToLiveRequest request) implements ModelOp {
    }

    /** Opens a new stream and creates one watch on it; this watch gets the next index. */
    record WatchCreate(WatchCreateRequest request) implements ModelOp {
    }

    /** Cancels the watch with this index (a WatchCancelRequest for id 0 on its stream). */
    record WatchCancel(int watch) implements ModelOp {
    }

    /** Sends a WatchProgressRequest on the stream of the watch with this index. */
    record WatchProgress(int watch) implements ModelOp {
    }

    /** Closes the store and opens it again on the same directory; every watch stream ends. */
    record Reopen() implements ModelOp {
    }

    /** The request in etcd's text format, bytes escaped, for failure messages. */
    static String describe(ModelOp op) {
        Message request = switch (op) {
            case Range r -> r.request();
            case Put p -> p.request();
            case DeleteRange d -> d.request();
            case Txn t -> t.request();
            case Compact c -> c.request();
            case LeaseGrant g -> g.request();
            case LeaseRevoke r -> r.request();
            case LeaseTimeToLive t -> t.request();
            case WatchCreate w -> w.request();
            case WatchCancel c -> null;
            case WatchProgress p -> null;
            case Reopen r -> null;
        };
        String name = op.getClass().getSimpleName();
        return request == null ? op.toString() : name + " { " + TextFormat.shortDebugString(request) + " }";
    }
}
