package dev.consensus.faults.harness;

import com.google.protobuf.ByteString;
import dev.consensus.api.etcdserverpb.Compare;
import dev.consensus.api.etcdserverpb.DeleteRangeRequest;
import dev.consensus.api.etcdserverpb.DeleteRangeResponse;
import dev.consensus.api.etcdserverpb.KVGrpc;
import dev.consensus.api.etcdserverpb.PutRequest;
import dev.consensus.api.etcdserverpb.PutResponse;
import dev.consensus.api.etcdserverpb.RangeRequest;
import dev.consensus.api.etcdserverpb.RangeResponse;
import dev.consensus.api.etcdserverpb.RequestOp;
import dev.consensus.api.etcdserverpb.TxnRequest;
import dev.consensus.api.etcdserverpb.TxnResponse;
import dev.consensus.api.mvccpb.KeyValue;
import dev.consensus.faults.history.Call;
import dev.consensus.faults.history.HistoryRecorder;
import dev.consensus.faults.history.Outcome;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * One sequential client of the register workload: linearizable reads, puts, compare-and-sets
 * (a Txn comparing the value it last read, or absence) and deletes on a few hot keys, each call
 * on one key. Every value written is unique ({@code <client>-<n>}), so a read names the one
 * write it saw. After an indeterminate answer the client moves to another member, as a client
 * library does when its endpoint stops answering.
 */
final class RegisterClient implements Runnable {

    private final RunContext ctx;
    private final String name;
    private final Random random;
    private final Map<String, String> lastSeen = new HashMap<>();
    private int member;
    private long written;

    RegisterClient(RunContext ctx, String name) {
        this.ctx = ctx;
        this.name = name;
        this.random = ctx.random(name);
        this.member = ctx.pickMember(random);
    }

    static String key(int i) {
        return "k/" + i;
    }

    @Override
    public void run() {
        while (ctx.nextOperation()) {
            String key = key(random.nextInt(ctx.options.keys()));
            int dice = random.nextInt(100);
            boolean answered;
            if (dice < 45) {
                answered = read(key, Call.ReadMode.LINEARIZABLE);
            } else if (dice < 75) {
                answered = write(key);
            } else if (dice < 95) {
                answered = cas(key);
            } else {
                answered = delete(key);
            }
            if (!answered) {
                member = ctx.otherMember(random, member);
                NodeProcess.sleep(50 + random.nextInt(100)); // as a client library backs off
            }
            NodeProcess.sleep(2 + random.nextInt(8));
        }
    }

    private KVGrpc.KVBlockingStub kv() {
        return kv(member);
    }

    private KVGrpc.KVBlockingStub kv(int slot) {
        return KVGrpc.newBlockingStub(ctx.cluster.channel(slot))
                .withDeadlineAfter(ctx.options.opTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    private static ByteString bytes(String s) {
        return ByteString.copyFrom(s, StandardCharsets.UTF_8);
    }

    /** A read of one key on {@code slot}; mode FINAL is the read after healing. True when answered. */
    static boolean read(RunContext ctx, String process, int slot, String key, Call.ReadMode mode,
                        Map<String, String> seen) {
        HistoryRecorder.Pending p = ctx.recorder.invoke(process, new Call.Read(key, mode));
        try {
            RangeResponse r = KVGrpc.newBlockingStub(ctx.cluster.channel(slot))
                    .withDeadlineAfter(ctx.options.opTimeout().toMillis(), TimeUnit.MILLISECONDS)
                    .range(RangeRequest.newBuilder().setKey(bytes(key)).build());
            String value = null;
            long mod = 0;
            if (r.getKvsCount() > 0) {
                KeyValue kv = r.getKvs(0);
                value = kv.getValue().toStringUtf8();
                mod = kv.getModRevision();
            }
            p.ok(Outcome.Ok.read(value, mod, r.getHeader().getRevision()));
            if (seen != null) {
                seen.put(key, value);
            }
            return true;
        } catch (RuntimeException e) {
            Errors.complete(p, e);
            return false;
        }
    }

    private boolean read(String key, Call.ReadMode mode) {
        return read(ctx, name, member, key, mode, lastSeen);
    }

    private String nextValue() {
        return name + "-" + (++written);
    }

    private boolean write(String key) {
        String value = nextValue();
        HistoryRecorder.Pending p = ctx.recorder.invoke(name, new Call.Write(key, value));
        try {
            PutResponse r = kv().put(PutRequest.newBuilder().setKey(bytes(key)).setValue(bytes(value)).build());
            p.ok(Outcome.Ok.written(r.getHeader().getRevision()));
            lastSeen.put(key, value);
            return true;
        } catch (RuntimeException e) {
            Errors.complete(p, e);
            return false;
        }
    }

    private boolean cas(String key) {
        String expected = lastSeen.get(key);
        String value = nextValue();
        HistoryRecorder.Pending p = ctx.recorder.invoke(name, new Call.Cas(key, expected, value));
        Compare compare = expected == null
                ? Compare.newBuilder().setKey(bytes(key)).setTarget(Compare.CompareTarget.CREATE)
                        .setResult(Compare.CompareResult.EQUAL).setCreateRevision(0).build()
                : Compare.newBuilder().setKey(bytes(key)).setTarget(Compare.CompareTarget.VALUE)
                        .setResult(Compare.CompareResult.EQUAL).setValue(bytes(expected)).build();
        TxnRequest txn = TxnRequest.newBuilder().addCompare(compare)
                .addSuccess(RequestOp.newBuilder().setRequestPut(
                        PutRequest.newBuilder().setKey(bytes(key)).setValue(bytes(value))))
                .build();
        try {
            TxnResponse r = kv().txn(txn);
            p.ok(Outcome.Ok.cas(r.getSucceeded(), r.getHeader().getRevision()));
            if (r.getSucceeded()) {
                lastSeen.put(key, value);
            } else {
                lastSeen.remove(key); // unknown now: the next compare-and-set expects absence until a read
            }
            return true;
        } catch (RuntimeException e) {
            Errors.complete(p, e);
            return false;
        }
    }

    private boolean delete(String key) {
        HistoryRecorder.Pending p = ctx.recorder.invoke(name, new Call.Delete(key));
        try {
            DeleteRangeResponse r = kv().deleteRange(DeleteRangeRequest.newBuilder().setKey(bytes(key)).build());
            p.ok(Outcome.Ok.deleted(r.getDeleted() > 0, r.getHeader().getRevision()));
            lastSeen.put(key, null);
            return true;
        } catch (RuntimeException e) {
            Errors.complete(p, e);
            return false;
        }
    }
}
