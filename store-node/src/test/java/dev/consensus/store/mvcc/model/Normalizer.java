package dev.consensus.store.mvcc.model;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import dev.consensus.api.etcdserverpb.CompactionResponse;
import dev.consensus.api.etcdserverpb.DeleteRangeResponse;
import dev.consensus.api.etcdserverpb.LeaseGrantResponse;
import dev.consensus.api.etcdserverpb.LeaseRevokeResponse;
import dev.consensus.api.etcdserverpb.LeaseTimeToLiveResponse;
import dev.consensus.api.etcdserverpb.PutResponse;
import dev.consensus.api.etcdserverpb.RangeResponse;
import dev.consensus.api.etcdserverpb.ResponseHeader;
import dev.consensus.api.etcdserverpb.ResponseOp;
import dev.consensus.api.etcdserverpb.TxnResponse;
import dev.consensus.api.mvccpb.Event;
import dev.consensus.api.mvccpb.KeyValue;
import java.util.ArrayList;
import java.util.List;

/**
 * Removes from a target's answer what may rightly differ from the model's: the header's cluster
 * id, member id and raft term (only the revision is the state machine's), lease ids a server
 * chose (mapped back to the model's), a lease's remaining TTL (the server's clock) and the order
 * of a lease's keys (etcd lists them from a Go map). Everything else must be equal.
 */
public final class Normalizer {

    private final LeaseIds ids;

    public Normalizer(LeaseIds ids) {
        this.ids = ids;
    }

    public Outcome outcome(Outcome outcome) {
        return outcome instanceof Outcome.Ok ok ? new Outcome.Ok(message(ok.response())) : outcome;
    }

    public List<WatchItem> items(List<WatchItem> items) {
        return items.stream().map(item -> item instanceof WatchItem.EventItem e
                ? new WatchItem.EventItem(event(e.event())) : item).toList();
    }

    private Message message(Message response) {
        return switch (response) {
            case RangeResponse r -> range(r);
            case PutResponse p -> put(p);
            case DeleteRangeResponse d -> delete(d);
            case TxnResponse t -> txn(t);
            case LeaseGrantResponse g -> g.toBuilder().setHeader(header(g.getHeader())).setID(ids.toModel(g.getID())).build();
            case LeaseTimeToLiveResponse t -> timeToLive(t);
            case CompactionResponse c -> c.toBuilder().setHeader(header(c.getHeader())).build();
            case LeaseRevokeResponse r -> r.toBuilder().setHeader(header(r.getHeader())).build();
            default -> response;
        };
    }

    private RangeResponse range(RangeResponse r) {
        RangeResponse.Builder out = r.toBuilder().clearKvs();
        if (r.hasHeader()) {
            out.setHeader(header(r.getHeader()));
        }
        r.getKvsList().forEach(kv -> out.addKvs(kv(kv)));
        return out.build();
    }

    private PutResponse put(PutResponse p) {
        PutResponse.Builder out = p.toBuilder();
        if (p.hasHeader()) {
            out.setHeader(header(p.getHeader()));
        }
        if (p.hasPrevKv()) {
            out.setPrevKv(kv(p.getPrevKv()));
        }
        return out.build();
    }

    private DeleteRangeResponse delete(DeleteRangeResponse d) {
        DeleteRangeResponse.Builder out = d.toBuilder().clearPrevKvs();
        if (d.hasHeader()) {
            out.setHeader(header(d.getHeader()));
        }
        d.getPrevKvsList().forEach(kv -> out.addPrevKvs(kv(kv)));
        return out.build();
    }

    private TxnResponse txn(TxnResponse t) {
        TxnResponse.Builder out = t.toBuilder().clearResponses();
        if (t.hasHeader()) {
            out.setHeader(header(t.getHeader()));
        }
        for (ResponseOp op : t.getResponsesList()) {
            ResponseOp.Builder normal = ResponseOp.newBuilder();
            switch (op.getResponseCase()) {
                case RESPONSE_RANGE -> normal.setResponseRange(range(op.getResponseRange()));
                case RESPONSE_PUT -> normal.setResponsePut(put(op.getResponsePut()));
                case RESPONSE_DELETE_RANGE -> normal.setResponseDeleteRange(delete(op.getResponseDeleteRange()));
                case RESPONSE_TXN -> normal.setResponseTxn(txn(op.getResponseTxn()));
                case RESPONSE_NOT_SET -> { }
            }
            out.addResponses(normal);
        }
        return out.build();
    }

    private LeaseTimeToLiveResponse timeToLive(LeaseTimeToLiveResponse t) {
        List<ByteString> keys = new ArrayList<>(t.getKeysList());
        keys.sort(KeySpan.ORDER);
        return t.toBuilder()
                .setHeader(header(t.getHeader()))
                .setID(ids.toModel(t.getID()))
                .setTTL(t.getTTL() == -1 ? -1 : 0)
                .clearKeys().addAllKeys(keys)
                .build();
    }

    private Event event(Event e) {
        Event.Builder out = e.toBuilder().setKv(kv(e.getKv()));
        if (e.hasPrevKv()) {
            out.setPrevKv(kv(e.getPrevKv()));
        }
        return out.build();
    }

    private KeyValue kv(KeyValue kv) {
        return kv.getLease() == 0 ? kv : kv.toBuilder().setLease(ids.toModel(kv.getLease())).build();
    }

    private static ResponseHeader header(ResponseHeader header) {
        return header.toBuilder().clearClusterId().clearMemberId().clearRaftTerm().build();
    }
}
