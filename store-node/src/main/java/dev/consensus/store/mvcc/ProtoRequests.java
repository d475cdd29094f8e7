package dev.consensus.store.mvcc;

import com.google.protobuf.ByteString;
import dev.consensus.api.etcdserverpb.Compare;
import dev.consensus.api.etcdserverpb.DeleteRangeRequest;
import dev.consensus.api.etcdserverpb.PutRequest;
import dev.consensus.api.etcdserverpb.RangeRequest;
import dev.consensus.api.etcdserverpb.RequestOp;
import dev.consensus.api.etcdserverpb.TxnRequest;
import dev.consensus.api.etcdserverpb.WatchCreateRequest;
import java.util.List;

/**
 * etcd's request messages into the store's records. Where etcd reads a field in a particular way
 * (a range end of "\0", a compare operand of the wrong kind, an enum value it does not define)
 * the record already carries etcd's reading, so nothing behind it looks at protobuf again.
 */
final class ProtoRequests {

    private static final ByteString ZERO_KEY = ByteString.copyFrom(new byte[] {0});

    private ProtoRequests() {
    }

    static RangeSpec range(RangeRequest r) {
        return new RangeSpec(KeyRange.of(r.getKey(), r.getRangeEnd()), r.getLimit(), r.getRevision(),
                r.getKeysOnly(), r.getCountOnly(), sortOrder(r.getSortOrder()), sortTarget(r.getSortTarget()),
                r.getMinModRevision(), r.getMaxModRevision(), r.getMinCreateRevision(), r.getMaxCreateRevision());
    }

    static PutSpec put(PutRequest r) {
        return new PutSpec(r.getKey(), r.getValue(), r.getLease(), r.getPrevKv(), r.getIgnoreValue(), r.getIgnoreLease());
    }

    static DeleteSpec delete(DeleteRangeRequest r) {
        return new DeleteSpec(KeyRange.of(r.getKey(), r.getRangeEnd()), r.getPrevKv());
    }

    static TxnSpec txn(TxnRequest r) {
        return new TxnSpec(
                r.getCompareList().stream().map(ProtoRequests::compare).toList(),
                ops(r.getSuccessList()),
                ops(r.getFailureList()));
    }

    /** An empty key watches from the smallest key, "\0", as etcd's server rewrites it. */
    static WatchSpec watch(WatchCreateRequest r) {
        ByteString key = r.getKey().isEmpty() ? ZERO_KEY : r.getKey();
        boolean noPut = false;
        boolean noDelete = false;
        for (WatchCreateRequest.FilterType filter : r.getFiltersList()) {
            noPut |= filter == WatchCreateRequest.FilterType.NOPUT;
            noDelete |= filter == WatchCreateRequest.FilterType.NODELETE;
        }
        return new WatchSpec(KeyRange.of(key, r.getRangeEnd()), r.getStartRevision(), r.getWatchId(),
                r.getPrevKv(), noPut, noDelete, r.getProgressNotify());
    }

    private static List<TxnOp> ops(List<RequestOp> ops) {
        return ops.stream().map(ProtoRequests::op).toList();
    }

    private static TxnOp op(RequestOp op) {
        return switch (op.getRequestCase()) {
            case REQUEST_RANGE -> new TxnOp.Range(range(op.getRequestRange()));
            case REQUEST_PUT -> new TxnOp.Put(put(op.getRequestPut()));
            case REQUEST_DELETE_RANGE -> new TxnOp.Delete(delete(op.getRequestDeleteRange()));
            case REQUEST_TXN -> new TxnOp.Nested(txn(op.getRequestTxn()));
            case REQUEST_NOT_SET -> new TxnOp.Empty();
        };
    }

    /** The operand is the one matching the target; etcd compares with 0 or "" otherwise. */
    private static CompareSpec compare(Compare c) {
        Compare.TargetUnionCase set = c.getTargetUnionCase();
        CompareSpec.Target target = switch (c.getTarget()) {
            case VERSION -> CompareSpec.Target.VERSION;
            case CREATE -> CompareSpec.Target.CREATE;
            case MOD -> CompareSpec.Target.MOD;
            case VALUE -> CompareSpec.Target.VALUE;
            case LEASE -> CompareSpec.Target.LEASE;
            case UNRECOGNIZED -> CompareSpec.Target.UNKNOWN;
        };
        long number = switch (target) {
            case VERSION -> set == Compare.TargetUnionCase.VERSION ? c.getVersion() : 0;
            case CREATE -> set == Compare.TargetUnionCase.CREATE_REVISION ? c.getCreateRevision() : 0;
            case MOD -> set == Compare.TargetUnionCase.MOD_REVISION ? c.getModRevision() : 0;
            case LEASE -> set == Compare.TargetUnionCase.LEASE ? c.getLease() : 0;
            case VALUE, UNKNOWN -> 0;
        };
        ByteString value = target == CompareSpec.Target.VALUE && set == Compare.TargetUnionCase.VALUE
                ? c.getValue() : ByteString.EMPTY;
        CompareSpec.Result result = switch (c.getResult()) {
            case EQUAL -> CompareSpec.Result.EQUAL;
            case GREATER -> CompareSpec.Result.GREATER;
            case LESS -> CompareSpec.Result.LESS;
            case NOT_EQUAL -> CompareSpec.Result.NOT_EQUAL;
            case UNRECOGNIZED -> CompareSpec.Result.UNKNOWN;
        };
        return new CompareSpec(KeyRange.of(c.getKey(), c.getRangeEnd()), target, result, number, value);
    }

    private static RangeSpec.SortOrder sortOrder(RangeRequest.SortOrder order) {
        return switch (order) {
            case NONE -> RangeSpec.SortOrder.NONE;
            case ASCEND -> RangeSpec.SortOrder.ASCEND;
            case DESCEND -> RangeSpec.SortOrder.DESCEND;
            case UNRECOGNIZED -> RangeSpec.SortOrder.UNKNOWN;
        };
    }

    private static RangeSpec.SortTarget sortTarget(RangeRequest.SortTarget target) {
        return switch (target) {
            case VERSION -> RangeSpec.SortTarget.VERSION;
            case CREATE -> RangeSpec.SortTarget.CREATE;
            case MOD -> RangeSpec.SortTarget.MOD;
            case VALUE -> RangeSpec.SortTarget.VALUE;
            case KEY, UNRECOGNIZED -> RangeSpec.SortTarget.KEY;
        };
    }
}
