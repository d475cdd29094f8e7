package dev.consensus.store.mvcc.compat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.consensus.api.etcdserverpb.Compare;
import dev.consensus.api.etcdserverpb.DeleteRangeRequest;
import dev.consensus.api.etcdserverpb.PutRequest;
import dev.consensus.api.etcdserverpb.RangeRequest;
import dev.consensus.api.etcdserverpb.RangeResponse;
import dev.consensus.api.etcdserverpb.RequestOp;
import dev.consensus.api.etcdserverpb.ResponseHeader;
import dev.consensus.api.mvccpb.KeyValue;
import dev.consensus.store.mvcc.model.Outcome;
import java.util.List;

/** Short ways to write the scenario tests' requests and read their answers; keys are text. */
final class Requests {

    static final ByteString FROM_KEY = ByteString.copyFrom(new byte[] {0});

    private Requests() {
    }

    static ByteString text(String text) {
        return ByteString.copyFromUtf8(text);
    }

    static PutRequest.Builder put(String key, String value) {
        return PutRequest.newBuilder().setKey(text(key)).setValue(text(value));
    }

    static RangeRequest.Builder get(String key) {
        return RangeRequest.newBuilder().setKey(text(key));
    }

    /** Every key from {@code from} on, as etcdctl's --from-key sends it. */
    static RangeRequest.Builder fromKey(String from) {
        return RangeRequest.newBuilder().setKey(text(from)).setRangeEnd(FROM_KEY);
    }

    static DeleteRangeRequest.Builder delete(String key) {
        return DeleteRangeRequest.newBuilder().setKey(text(key));
    }

    static Compare.Builder compare(String key, Compare.CompareTarget target, Compare.CompareResult result) {
        return Compare.newBuilder().setKey(text(key)).setTarget(target).setResult(result);
    }

    static RequestOp op(PutRequest.Builder put) {
        return RequestOp.newBuilder().setRequestPut(put).build();
    }

    static RequestOp op(RangeRequest.Builder range) {
        return RequestOp.newBuilder().setRequestRange(range).build();
    }

    static RequestOp op(DeleteRangeRequest.Builder delete) {
        return RequestOp.newBuilder().setRequestDeleteRange(delete).build();
    }

    static <T> T response(Outcome outcome, Class<T> type) {
        if (!(outcome instanceof Outcome.Ok ok)) {
            throw new AssertionError("expected a " + type.getSimpleName() + ", got " + outcome);
        }
        return type.cast(ok.response());
    }

    static List<String> keys(Outcome outcome) {
        return response(outcome, RangeResponse.class).getKvsList().stream()
                .map(kv -> kv.getKey().toStringUtf8()).toList();
    }

    static KeyValue only(Outcome outcome) {
        List<KeyValue> kvs = response(outcome, RangeResponse.class).getKvsList();
        if (kvs.size() != 1) {
            throw new AssertionError("expected one key-value, got " + kvs);
        }
        return kvs.get(0);
    }

    /** The header revision of any answer that has a header. */
    static long revision(Outcome outcome) {
        Message response = response(outcome, Message.class);
        FieldDescriptor header = response.getDescriptorForType().findFieldByName("header");
        return ((ResponseHeader) response.getField(header)).getRevision();
    }
}
