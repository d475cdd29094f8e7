package dev.consensus.store.server;

import dev.consensus.api.etcdserverpb.AlarmRequest;
import dev.consensus.api.etcdserverpb.AlarmType;
import dev.consensus.api.etcdserverpb.CompactionRequest;
import dev.consensus.api.etcdserverpb.CompactionResponse;
import dev.consensus.api.etcdserverpb.DeleteRangeRequest;
import dev.consensus.api.etcdserverpb.DeleteRangeResponse;
import dev.consensus.api.etcdserverpb.PutRequest;
import dev.consensus.api.etcdserverpb.PutResponse;
import dev.consensus.api.etcdserverpb.RangeRequest;
import dev.consensus.api.etcdserverpb.RangeResponse;
import dev.consensus.api.etcdserverpb.RequestOp;
import dev.consensus.api.etcdserverpb.TxnRequest;
import dev.consensus.api.etcdserverpb.TxnResponse;
import dev.consensus.store.cluster.Alarm;
import dev.consensus.store.mvcc.RequestValidator;
import java.util.concurrent.CompletableFuture;

/**
 * The KV service's work: checks a request as etcd does before Raft, proposes writes, serves
 * linearizable reads after a ReadIndex and serializable reads at once from local state.
 */
public final class KvOperations {

    private final StoreServer server;
    private final Headers headers;
    private final RequestValidator validator;

    public KvOperations(StoreServer server) {
        this.server = server;
        this.headers = new Headers(server);
        this.validator = new RequestValidator(server.store().use(s -> s.config()));
    }

    public CompletableFuture<RangeResponse> range(RangeRequest request) {
        validator.checkRange(request);
        if (request.getSerializable()) {
            return CompletableFuture.completedFuture(rangeNow(request));
        }
        Guards.notLearner(server);
        if (server.settings().unsafeLocalLinearizableReads()) {
            return CompletableFuture.completedFuture(rangeNow(request)); // the planted bug: no ReadIndex
        }
        return server.proposer().readIndex().thenApply(v -> rangeNow(request));
    }

    private RangeResponse rangeNow(RangeRequest request) {
        RangeResponse r = server.store().use(s -> s.range(request));
        return r.toBuilder().setHeader(headers.fill(r.getHeader())).build();
    }

    public CompletableFuture<PutResponse> put(PutRequest request) {
        Guards.notLearner(server);
        validator.checkPut(request);
        checkQuota(request.getSerializedSize());
        return server.proposer().<PutResponse>propose(new ServerRequest.Put(request))
                .thenApply(r -> r.toBuilder().setHeader(headers.fill(r.getHeader())).build());
    }

    public CompletableFuture<DeleteRangeResponse> deleteRange(DeleteRangeRequest request) {
        Guards.notLearner(server);
        validator.checkDeleteRange(request);
        return server.proposer().<DeleteRangeResponse>propose(new ServerRequest.DeleteRange(request))
                .thenApply(r -> r.toBuilder().setHeader(headers.fill(r.getHeader())).build());
    }

    public CompletableFuture<TxnResponse> txn(TxnRequest request) {
        Guards.notLearner(server);
        validator.checkTxn(request);
        if (isReadOnly(request)) {
            return server.proposer().readIndex().thenApply(v -> {
                TxnResponse r = server.store().use(s -> s.readTxn(request));
                return r.toBuilder().setHeader(headers.fill(r.getHeader())).build();
            });
        }
        if (hasPut(request)) {
            checkQuota(request.getSerializedSize());
        }
        return server.proposer().<TxnResponse>propose(new ServerRequest.Txn(request))
                .thenApply(r -> r.toBuilder().setHeader(headers.fill(r.getHeader())).build());
    }

    public CompletableFuture<CompactionResponse> compact(CompactionRequest request) {
        Guards.notLearner(server);
        return server.proposer().<CompactionResponse>propose(new ServerRequest.Compact(request))
                .thenApply(r -> r.toBuilder().setHeader(headers.fill(r.getHeader())).build());
    }

    /**
     * etcd's backend quota: a write that would take the database past it raises the NOSPACE alarm
     * for this member, and while any NOSPACE alarm is up, writes that add data are refused.
     */
    void checkQuota(long requestBytes) {
        if (server.cluster().hasAlarm(Alarm.Type.NOSPACE)) {
            throw ServerError.NO_SPACE.exception();
        }
        long size = server.store().use(s -> s.sizeBytes());
        if (size + requestBytes > server.settings().quotaBackendBytes()) {
            server.proposer().propose(new ServerRequest.Alarm(AlarmRequest.newBuilder()
                    .setAction(AlarmRequest.AlarmAction.ACTIVATE)
                    .setMemberID(server.memberId())
                    .setAlarm(AlarmType.NOSPACE).build()));
            throw ServerError.NO_SPACE.exception();
        }
    }

    static boolean isReadOnly(TxnRequest request) {
        return request.getSuccessList().stream().allMatch(KvOperations::isReadOnly)
                && request.getFailureList().stream().allMatch(KvOperations::isReadOnly);
    }

    private static boolean isReadOnly(RequestOp op) {
        return switch (op.getRequestCase()) {
            case REQUEST_RANGE -> true;
            case REQUEST_TXN -> isReadOnly(op.getRequestTxn());
            default -> false;
        };
    }

    private static boolean hasPut(TxnRequest request) {
        return request.getSuccessList().stream().anyMatch(KvOperations::hasPut)
                || request.getFailureList().stream().anyMatch(KvOperations::hasPut);
    }

    private static boolean hasPut(RequestOp op) {
        return switch (op.getRequestCase()) {
            case REQUEST_PUT -> true;
            case REQUEST_TXN -> hasPut(op.getRequestTxn());
            default -> false;
        };
    }
}
