package dev.consensus.store.mvcc.model;

import dev.consensus.api.etcdserverpb.Compare;
import dev.consensus.api.etcdserverpb.PutRequest;
import dev.consensus.api.etcdserverpb.RequestOp;
import dev.consensus.api.etcdserverpb.TxnRequest;

/** Rewrites the lease ids in a generated request from the model's to a target's. */
final class LeaseTranslation {

    private LeaseTranslation() {
    }

    static ModelOp toTarget(ModelOp op, LeaseIds ids) {
        return switch (op) {
            case ModelOp.Put p -> new ModelOp.Put(put(p.request(), ids));
            case ModelOp.Txn t -> new ModelOp.Txn(txn(t.request(), ids));
            case ModelOp.LeaseRevoke r -> new ModelOp.LeaseRevoke(
                    r.request().toBuilder().setID(ids.toTarget(r.request().getID())).build());
            case ModelOp.LeaseTimeToLive t -> new ModelOp.LeaseTimeToLive(
                    t.request().toBuilder().setID(ids.toTarget(t.request().getID())).build());
            default -> op;
        };
    }

    private static PutRequest put(PutRequest put, LeaseIds ids) {
        return put.getLease() == 0 ? put : put.toBuilder().setLease(ids.toTarget(put.getLease())).build();
    }

    private static TxnRequest txn(TxnRequest txn, LeaseIds ids) {
        TxnRequest.Builder out = TxnRequest.newBuilder();
        for (Compare compare : txn.getCompareList()) {
            out.addCompare(compare.getTargetUnionCase() == Compare.TargetUnionCase.LEASE
                    ? compare.toBuilder().setLease(ids.toTarget(compare.getLease())).build() : compare);
        }
        txn.getSuccessList().forEach(op -> out.addSuccess(op(op, ids)));
        txn.getFailureList().forEach(op -> out.addFailure(op(op, ids)));
        return out.build();
    }

    private static RequestOp op(RequestOp op, LeaseIds ids) {
        return switch (op.getRequestCase()) {
            case REQUEST_PUT -> op.toBuilder().setRequestPut(put(op.getRequestPut(), ids)).build();
            case REQUEST_TXN -> op.toBuilder().setRequestTxn(txn(op.getRequestTxn(), ids)).build();
            default -> op;
        };
    }
}
