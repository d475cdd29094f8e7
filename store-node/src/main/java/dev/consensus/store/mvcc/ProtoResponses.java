package dev.consensus.store.mvcc;

import dev.consensus.api.etcdserverpb.DeleteRangeResponse;
import dev.consensus.api.etcdserverpb.PutResponse;
import dev.consensus.api.etcdserverpb.RangeResponse;
import dev.consensus.api.etcdserverpb.ResponseHeader;
import dev.consensus.api.etcdserverpb.ResponseOp;
import dev.consensus.api.etcdserverpb.TxnResponse;
import dev.consensus.api.etcdserverpb.WatchResponse;

/**
 * The store's results as etcd's response messages. Headers carry only the revision; the server
 * adds cluster id, member id and raft term. A nested txn's header is present but empty, as etcd
 * sends it.
 */
final class ProtoResponses {

    private ProtoResponses() {
    }

    static ResponseHeader header(long revision) {
        return ResponseHeader.newBuilder().setRevision(revision).build();
    }

    static RangeResponse range(RangeResult result) {
        return RangeResponse.newBuilder()
                .setHeader(header(result.revision()))
                .addAllKvs(result.kvs())
                .setMore(result.more())
                .setCount(result.count())
                .build();
    }

    static PutResponse put(PutResult result) {
        PutResponse.Builder response = PutResponse.newBuilder().setHeader(header(result.revision()));
        if (result.prevKv() != null) {
            response.setPrevKv(result.prevKv());
        }
        return response.build();
    }

    static DeleteRangeResponse delete(DeleteResult result) {
        return DeleteRangeResponse.newBuilder()
                .setHeader(header(result.revision()))
                .setDeleted(result.deleted())
                .addAllPrevKvs(result.prevKvs())
                .build();
    }

    static TxnResponse txn(TxnResult result) {
        TxnResponse.Builder response = TxnResponse.newBuilder()
                .setHeader(result.revision() == 0 ? ResponseHeader.getDefaultInstance() : header(result.revision()))
                .setSucceeded(result.succeeded());
        for (OpResult op : result.responses()) {
            response.addResponses(switch (op) {
                case RangeResult range -> ResponseOp.newBuilder().setResponseRange(range(range));
                case PutResult put -> ResponseOp.newBuilder().setResponsePut(put(put));
                case DeleteResult delete -> ResponseOp.newBuilder().setResponseDeleteRange(delete(delete));
                case TxnResult nested -> ResponseOp.newBuilder().setResponseTxn(txn(nested));
                case OpResult.Empty empty -> ResponseOp.newBuilder();
            });
        }
        return response.build();
    }

    static WatchResponse watch(StreamMessage message) {
        WatchResponse.Builder response = WatchResponse.newBuilder().setHeader(header(message.revision()));
        return switch (message) {
            case StreamMessage.Created m -> response.setWatchId(m.watchId()).setCreated(true).build();
            case StreamMessage.Refused m -> response.setWatchId(-1).setCreated(true).setCanceled(true)
                    .setCancelReason(m.reason()).build();
            case StreamMessage.Canceled m -> response.setWatchId(m.watchId()).setCanceled(true).build();
            case StreamMessage.Compacted m -> response.setWatchId(m.watchId()).setCanceled(true)
                    .setCompactRevision(m.compactRevision()).build();
            case StreamMessage.Events m -> response.setWatchId(m.watchId()).addAllEvents(m.events()).build();
            case StreamMessage.Progress m -> response.setWatchId(m.watchId()).build();
        };
    }
}
