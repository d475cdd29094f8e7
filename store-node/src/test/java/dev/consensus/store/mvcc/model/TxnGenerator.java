package dev.consensus.store.mvcc.model;

import com.google.protobuf.ByteString;
import dev.consensus.api.etcdserverpb.Compare;
import dev.consensus.api.etcdserverpb.DeleteRangeRequest;
import dev.consensus.api.etcdserverpb.PutRequest;
import dev.consensus.api.etcdserverpb.RangeRequest;
import dev.consensus.api.etcdserverpb.RequestOp;
import dev.consensus.api.etcdserverpb.TxnRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generates txns: up to three compares on every target and operator, then branches of ranges,
 * puts, deletes and nested txns. Keys written in one txn are mostly distinct, so most txns
 * apply; now and then one writes a key twice, has too many ops or an empty op, to be refused.
 *
 * <p>One combination is never made: a put with ignore_value or ignore_lease in a txn that also
 * deletes with a "\0" range end. etcd checks the flag against the state before the txn, and if
 * the delete removed the key first, etcd panics (see docs/compatibility.md).
 */
final class TxnGenerator {

    private final Random random;
    private final KeySpace keys;
    private final OpGenerator ops;

    TxnGenerator(Random random, KeySpace keys, OpGenerator ops) {
        this.random = random;
        this.keys = keys;
        this.ops = ops;
    }

    TxnRequest txn(long revision) {
        int shape = random.nextInt(200);
        if (shape == 0) {
            return tooManyCompares();
        }
        if (shape == 1) {
            return nestedOverTheLimit();
        }
        boolean fromKeyDeletes = random.nextInt(5) == 0;
        return txn(revision, new ArrayList<>(), fromKeyDeletes, 0);
    }

    private TxnRequest txn(long revision, List<ByteString> written, boolean fromKeyDeletes, int depth) {
        TxnRequest.Builder txn = TxnRequest.newBuilder();
        int compares = random.nextInt(4);
        for (int i = 0; i < compares; i++) {
            txn.addCompare(compare(revision));
        }
        int success = random.nextInt(5);
        for (int i = 0; i < success; i++) {
            txn.addSuccess(op(revision, written, fromKeyDeletes, depth));
        }
        // The failure branch may write the keys of the success branch: only one of them runs.
        List<ByteString> failureWritten = new ArrayList<>(depth == 0 ? List.of() : written);
        int failure = random.nextInt(4);
        for (int i = 0; i < failure; i++) {
            txn.addFailure(op(revision, failureWritten, fromKeyDeletes, depth));
        }
        return txn.build();
    }

    private RequestOp op(long revision, List<ByteString> written, boolean fromKeyDeletes, int depth) {
        int kind = random.nextInt(100);
        RequestOp.Builder op = RequestOp.newBuilder();
        if (kind < 35) {
            return op.setRequestRange(ops.rangeRequest(revision)).build();
        }
        if (kind < 70) {
            return op.setRequestPut(put(written, fromKeyDeletes)).build();
        }
        if (kind < 87) {
            return op.setRequestDeleteRange(delete(written, fromKeyDeletes)).build();
        }
        if (kind < 98 && depth < 2) {
            return op.setRequestTxn(txn(revision, written, fromKeyDeletes, depth + 1)).build();
        }
        if (kind == 99) {
            return op.build();
        }
        return op.setRequestRange(ops.rangeRequest(revision)).build();
    }

    private PutRequest put(List<ByteString> written, boolean fromKeyDeletes) {
        PutRequest.Builder put = ops.putRequest().toBuilder();
        boolean ignores = put.getIgnoreValue() || put.getIgnoreLease();
        // Most txns should apply, and one ignore_* put on a missing key refuses the whole txn.
        if (ignores && (fromKeyDeletes || random.nextInt(3) != 0)) {
            put.setIgnoreValue(false).setIgnoreLease(false).setValue(keys.value());
        }
        if (random.nextInt(30) != 0) {
            for (int tries = 0; tries < 10 && written.contains(put.getKey()); tries++) {
                put.setKey(keys.writeKey());
            }
        }
        written.add(put.getKey());
        return put.build();
    }

    private DeleteRangeRequest delete(List<ByteString> written, boolean fromKeyDeletes) {
        if (fromKeyDeletes && random.nextInt(3) == 0) {
            ByteString from = keys.pick(KeySpace.KEYS);
            return DeleteRangeRequest.newBuilder().setKey(from).setRangeEnd(KeySpan.FROM_KEY)
                    .setPrevKv(random.nextBoolean()).build();
        }
        if (random.nextInt(4) == 0) {
            // A range delete: refused as a duplicate when it covers a key this txn puts.
            DeleteRangeRequest range = ops.deleteRequest();
            boolean fromKey = range.getRangeEnd().equals(KeySpan.FROM_KEY);
            return fromKey && !fromKeyDeletes ? range.toBuilder().clearRangeEnd().build() : range;
        }
        ByteString key = keys.key();
        for (int tries = 0; tries < 10 && written.contains(key); tries++) {
            key = keys.key();
        }
        written.add(key);
        return DeleteRangeRequest.newBuilder().setKey(key).setPrevKv(random.nextBoolean()).build();
    }

    private Compare compare(long revision) {
        Compare.Builder compare = Compare.newBuilder()
                .setResult(keys.pick(List.of(Compare.CompareResult.EQUAL, Compare.CompareResult.NOT_EQUAL,
                        Compare.CompareResult.GREATER, Compare.CompareResult.LESS)))
                .setTarget(keys.pick(List.of(Compare.CompareTarget.VERSION, Compare.CompareTarget.CREATE,
                        Compare.CompareTarget.MOD, Compare.CompareTarget.VALUE, Compare.CompareTarget.LEASE)));
        if (random.nextInt(5) == 0) {
            KeySpan span = keys.span();
            compare.setKey(span.key()).setRangeEnd(span.end());
        } else {
            compare.setKey(random.nextInt(100) == 0 ? ByteString.EMPTY : keys.key());
        }
        Compare.CompareTarget operand = random.nextInt(30) == 0
                ? keys.pick(List.of(Compare.CompareTarget.values()).subList(0, 5)) : compare.getTarget();
        switch (operand) {
            case VERSION -> compare.setVersion(random.nextInt(4));
            case CREATE -> compare.setCreateRevision(random.nextLong(revision + 2));
            case MOD -> compare.setModRevision(random.nextLong(revision + 2));
            case VALUE -> compare.setValue(keys.value());
            case LEASE -> {
                // Automatic lease ids differ between targets, so only their equality is comparable;
                // "greater than 0" (has a lease) and "less than 0" still are.
                boolean ordered = compare.getResult() == Compare.CompareResult.GREATER
                        || compare.getResult() == Compare.CompareResult.LESS;
                compare.setLease(ordered ? 0 : ops.leaseOrZero());
            }
            default -> throw new IllegalStateException(operand.toString());
        }
        return compare.build();
    }

    private TxnRequest tooManyCompares() {
        TxnRequest.Builder txn = TxnRequest.newBuilder();
        Compare always = Compare.newBuilder().setKey(keys.key()).setTarget(Compare.CompareTarget.VERSION)
                .setResult(Compare.CompareResult.GREATER).setVersion(-1).build();
        for (int i = 0; i < 129; i++) {
            txn.addCompare(always);
        }
        return txn.addSuccess(RequestOp.newBuilder().setRequestPut(ops.putRequest())).build();
    }

    /** 100 ops leave a nested txn 28 (etcd: 128 minus the parent's widest list); it has 29. */
    private TxnRequest nestedOverTheLimit() {
        RequestOp range = RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(keys.key())).build();
        TxnRequest.Builder nested = TxnRequest.newBuilder();
        for (int i = 0; i < 29; i++) {
            nested.addSuccess(range);
        }
        TxnRequest.Builder txn = TxnRequest.newBuilder();
        for (int i = 0; i < 99; i++) {
            txn.addSuccess(range);
        }
        return txn.addSuccess(RequestOp.newBuilder().setRequestTxn(nested)).build();
    }
}
