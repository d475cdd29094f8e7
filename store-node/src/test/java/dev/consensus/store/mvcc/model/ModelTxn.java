package dev.consensus.store.mvcc.model;

import com.google.protobuf.ByteString;
import dev.consensus.api.etcdserverpb.Compare;
import dev.consensus.api.etcdserverpb.PutRequest;
import dev.consensus.api.etcdserverpb.RangeRequest;
import dev.consensus.api.etcdserverpb.RequestOp;
import dev.consensus.api.etcdserverpb.ResponseHeader;
import dev.consensus.api.etcdserverpb.ResponseOp;
import dev.consensus.api.etcdserverpb.TxnRequest;
import dev.consensus.api.etcdserverpb.TxnResponse;
import dev.consensus.api.mvccpb.KeyValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A txn as etcd applies it (server/etcdserver/apply.go, Txn): every compare, the nested txns'
 * too, is decided on the state before the txn; then the puts on the chosen path are checked
 * (ignore_* needs the key, the lease must exist), then its ranges' revisions; only then do the
 * ops run, in order, at one revision. A nested txn's response has an empty header.
 */
final class ModelTxn {

    /** Which branch a txn takes, and the same for each nested txn in that branch, in order. */
    private record Path(boolean succeeded, List<Path> nested) {
    }

    private final ModelHistory history;
    private final long begin;
    private final long compactRevision;
    private final Set<Long> leases;

    ModelTxn(ModelHistory history, long begin, long compactRevision, Set<Long> leases) {
        this.history = history;
        this.begin = begin;
        this.compactRevision = compactRevision;
        this.leases = leases;
    }

    /** Runs the txn into {@code write}, or returns etcd's error having written nothing. */
    Outcome run(TxnRequest request, ModelWrite write) {
        Path path = decide(request);
        Outcome.Failed failed = checkPuts(request, path);
        if (failed == null) {
            failed = checkRanges(request, path);
        }
        if (failed != null) {
            return failed;
        }
        TxnResponse response = execute(request, path, write).toBuilder()
                .setHeader(ModelWrite.header(write.view())).build();
        return new Outcome.Ok(response);
    }

    private Path decide(TxnRequest request) {
        boolean succeeded = request.getCompareList().stream().allMatch(this::holds);
        List<Path> nested = new ArrayList<>();
        for (RequestOp op : branch(request, succeeded)) {
            if (op.hasRequestTxn()) {
                nested.add(decide(op.getRequestTxn()));
            }
        }
        return new Path(succeeded, nested);
    }

    private boolean holds(Compare compare) {
        List<KeyValue> kvs = history.range(new KeySpan(compare.getKey(), compare.getRangeEnd()), begin);
        if (kvs.isEmpty()) {
            // etcd: a value compare on no key fails whatever the operator; others compare with zeros.
            return compare.getTarget() != Compare.CompareTarget.VALUE && compareWith(compare, KeyValue.getDefaultInstance());
        }
        return kvs.stream().allMatch(kv -> compareWith(compare, kv));
    }

    private static boolean compareWith(Compare c, KeyValue kv) {
        int result = switch (c.getTargetValue()) {
            case Compare.CompareTarget.VALUE_VALUE -> KeySpan.ORDER.compare(kv.getValue(),
                    c.getTargetUnionCase() == Compare.TargetUnionCase.VALUE ? c.getValue() : ByteString.EMPTY);
            case Compare.CompareTarget.CREATE_VALUE -> Long.compare(kv.getCreateRevision(),
                    c.getTargetUnionCase() == Compare.TargetUnionCase.CREATE_REVISION ? c.getCreateRevision() : 0);
            case Compare.CompareTarget.MOD_VALUE -> Long.compare(kv.getModRevision(),
                    c.getTargetUnionCase() == Compare.TargetUnionCase.MOD_REVISION ? c.getModRevision() : 0);
            case Compare.CompareTarget.VERSION_VALUE -> Long.compare(kv.getVersion(),
                    c.getTargetUnionCase() == Compare.TargetUnionCase.VERSION ? c.getVersion() : 0);
            case Compare.CompareTarget.LEASE_VALUE -> Long.compare(kv.getLease(),
                    c.getTargetUnionCase() == Compare.TargetUnionCase.LEASE ? c.getLease() : 0);
            default -> 0;
        };
        return switch (c.getResultValue()) {
            case Compare.CompareResult.EQUAL_VALUE -> result == 0;
            case Compare.CompareResult.NOT_EQUAL_VALUE -> result != 0;
            case Compare.CompareResult.GREATER_VALUE -> result > 0;
            case Compare.CompareResult.LESS_VALUE -> result < 0;
            default -> true;
        };
    }

    private Outcome.Failed checkPuts(TxnRequest request, Path path) {
        int nested = 0;
        for (RequestOp op : branch(request, path.succeeded())) {
            Outcome.Failed failed = null;
            if (op.hasRequestTxn()) {
                failed = checkPuts(op.getRequestTxn(), path.nested().get(nested++));
            } else if (op.hasRequestPut()) {
                failed = checkPut(op.getRequestPut());
            }
            if (failed != null) {
                return failed;
            }
        }
        return null;
    }

    private Outcome.Failed checkPut(PutRequest put) {
        if ((put.getIgnoreValue() || put.getIgnoreLease()) && history.get(put.getKey(), begin) == null) {
            return EtcdErrors.KEY_NOT_FOUND;
        }
        if (put.getLease() != 0 && !leases.contains(put.getLease())) {
            return EtcdErrors.LEASE_NOT_FOUND;
        }
        return null;
    }

    private Outcome.Failed checkRanges(TxnRequest request, Path path) {
        int nested = 0;
        for (RequestOp op : branch(request, path.succeeded())) {
            Outcome.Failed failed = null;
            if (op.hasRequestTxn()) {
                failed = checkRanges(op.getRequestTxn(), path.nested().get(nested++));
            } else if (op.hasRequestRange()) {
                failed = checkRange(op.getRequestRange());
            }
            if (failed != null) {
                return failed;
            }
        }
        return null;
    }

    /** etcd's checkRange; unlike a plain range, a negative revision is held against the compact revision. */
    private Outcome.Failed checkRange(RangeRequest range) {
        long revision = range.getRevision();
        if (revision == 0) {
            return null;
        }
        if (revision > begin) {
            return EtcdErrors.FUTURE_REV;
        }
        return revision < compactRevision ? EtcdErrors.COMPACTED : null;
    }

    private TxnResponse execute(TxnRequest request, Path path, ModelWrite write) {
        TxnResponse.Builder response = TxnResponse.newBuilder()
                .setHeader(ResponseHeader.getDefaultInstance())
                .setSucceeded(path.succeeded());
        int nested = 0;
        for (RequestOp op : branch(request, path.succeeded())) {
            ResponseOp.Builder result = ResponseOp.newBuilder();
            switch (op.getRequestCase()) {
                case REQUEST_RANGE -> result.setResponseRange(write.range(op.getRequestRange()));
                case REQUEST_PUT -> result.setResponsePut(write.put(op.getRequestPut()));
                case REQUEST_DELETE_RANGE -> result.setResponseDeleteRange(write.delete(op.getRequestDeleteRange()));
                case REQUEST_TXN -> result.setResponseTxn(execute(op.getRequestTxn(), path.nested().get(nested++), write));
                case REQUEST_NOT_SET -> throw new IllegalStateException("validation refuses an empty op");
            }
            response.addResponses(result);
        }
        return response.build();
    }

    private static List<RequestOp> branch(TxnRequest request, boolean succeeded) {
        return succeeded ? request.getSuccessList() : request.getFailureList();
    }
}
