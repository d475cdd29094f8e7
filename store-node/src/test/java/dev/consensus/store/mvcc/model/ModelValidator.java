package dev.consensus.store.mvcc.model;

import com.google.protobuf.ByteString;
import dev.consensus.api.etcdserverpb.Compare;
import dev.consensus.api.etcdserverpb.PutRequest;
import dev.consensus.api.etcdserverpb.RequestOp;
import dev.consensus.api.etcdserverpb.TxnRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The checks etcd makes before proposing a request (server/etcdserver/api/v3rpc/key.go), in its
 * order, so a request with several faults gets the same first error. A request refused here
 * never reaches Raft and costs no index.
 */
final class ModelValidator {

    private final int maxTxnOps;

    ModelValidator(int maxTxnOps) {
        this.maxTxnOps = maxTxnOps;
    }

    Optional<Outcome.Failed> check(ModelOp op) {
        return Optional.ofNullable(switch (op) {
            case ModelOp.Range r -> requireKey(r.request().getKey());
            case ModelOp.Put p -> put(p.request());
            case ModelOp.DeleteRange d -> requireKey(d.request().getKey());
            case ModelOp.Txn t -> txn(t.request());
            default -> null;
        });
    }

    private Outcome.Failed txn(TxnRequest request) {
        Outcome.Failed shape = shape(request, maxTxnOps);
        if (shape != null) {
            return shape;
        }
        try {
            writes(request.getSuccessList());
            writes(request.getFailureList());
            return null;
        } catch (DuplicateKey e) {
            return EtcdErrors.DUPLICATE_KEY;
        }
    }

    /** etcd's checkTxnRequest: a nested txn may use only what its parent's widest list left. */
    private static Outcome.Failed shape(TxnRequest request, int maxOps) {
        int ops = Math.max(request.getCompareCount(), Math.max(request.getSuccessCount(), request.getFailureCount()));
        if (ops > maxOps) {
            return EtcdErrors.TOO_MANY_OPS;
        }
        for (Compare compare : request.getCompareList()) {
            if (compare.getKey().isEmpty()) {
                return EtcdErrors.EMPTY_KEY;
            }
        }
        List<RequestOp> all = new ArrayList<>(request.getSuccessList());
        all.addAll(request.getFailureList());
        for (RequestOp op : all) {
            Outcome.Failed failed = switch (op.getRequestCase()) {
                case REQUEST_RANGE -> requireKey(op.getRequestRange().getKey());
                case REQUEST_PUT -> put(op.getRequestPut());
                case REQUEST_DELETE_RANGE -> requireKey(op.getRequestDeleteRange().getKey());
                case REQUEST_TXN -> shape(op.getRequestTxn(), maxOps - ops);
                case REQUEST_NOT_SET -> EtcdErrors.KEY_NOT_FOUND;
            };
            if (failed != null) {
                return failed;
            }
        }
        return null;
    }

    private static Outcome.Failed put(PutRequest request) {
        if (request.getKey().isEmpty()) {
            return EtcdErrors.EMPTY_KEY;
        }
        if (request.getIgnoreValue() && !request.getValue().isEmpty()) {
            return EtcdErrors.VALUE_PROVIDED;
        }
        if (request.getIgnoreLease() && request.getLease() != 0) {
            return EtcdErrors.LEASE_PROVIDED;
        }
        return null;
    }

    private static Outcome.Failed requireKey(ByteString key) {
        return key.isEmpty() ? EtcdErrors.EMPTY_KEY : null;
    }

    /** A delete as etcd's interval tree holds it: the one key, or {@code [key, range_end)} byte-wise. */
    private record Deleted(ByteString key, ByteString end) {
        boolean covers(ByteString put) {
            if (end.isEmpty()) {
                return key.equals(put);
            }
            // A range end of "\0" (every key from key on) is compared as the one-byte string it
            // is, so it covers nothing: etcd lets such a delete and a put share a txn.
            return KeySpan.ORDER.compare(key, put) <= 0 && KeySpan.ORDER.compare(put, end) < 0;
        }
    }

    private record Writes(Set<ByteString> puts, List<Deleted> deletes) {
    }

    private static final class DuplicateKey extends Exception {
        private static final long serialVersionUID = 1L;
    }

    /** etcd's checkIntervals: no key put twice or put and deleted, in one branch and its nested txns. */
    private static Writes writes(List<RequestOp> ops) throws DuplicateKey {
        List<Deleted> deletes = new ArrayList<>();
        for (RequestOp op : ops) {
            if (op.hasRequestDeleteRange()) {
                deletes.add(new Deleted(op.getRequestDeleteRange().getKey(), op.getRequestDeleteRange().getRangeEnd()));
            }
        }
        Set<ByteString> puts = new HashSet<>();
        for (RequestOp op : ops) {
            if (!op.hasRequestTxn()) {
                continue;
            }
            Writes then = writes(op.getRequestTxn().getSuccessList());
            Writes otherwise = writes(op.getRequestTxn().getFailureList());
            for (ByteString key : then.puts()) {
                refuseIf(puts.contains(key) || covered(deletes, key));
                puts.add(key);
            }
            for (ByteString key : otherwise.puts()) {
                refuseIf(puts.contains(key) && !then.puts().contains(key));
                refuseIf(covered(deletes, key));
                puts.add(key);
            }
            deletes.addAll(then.deletes());
            deletes.addAll(otherwise.deletes());
        }
        for (RequestOp op : ops) {
            if (op.hasRequestPut()) {
                ByteString key = op.getRequestPut().getKey();
                refuseIf(puts.contains(key) || covered(deletes, key));
                puts.add(key);
            }
        }
        return new Writes(puts, deletes);
    }

    private static boolean covered(List<Deleted> deletes, ByteString key) {
        return deletes.stream().anyMatch(d -> d.covers(key));
    }

    private static void refuseIf(boolean duplicate) throws DuplicateKey {
        if (duplicate) {
            throw new DuplicateKey();
        }
    }
}
