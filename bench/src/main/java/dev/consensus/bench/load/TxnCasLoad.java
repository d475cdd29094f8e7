package dev.consensus.bench.load;

import com.google.protobuf.ByteString;
import dev.consensus.api.etcdserverpb.Compare;
import dev.consensus.api.etcdserverpb.PutRequest;
import dev.consensus.api.etcdserverpb.RangeRequest;
import dev.consensus.api.etcdserverpb.RequestOp;
import dev.consensus.api.etcdserverpb.TxnRequest;
import dev.consensus.api.etcdserverpb.TxnResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SequencedMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Compare-and-swap transactions, the pattern of every optimistic-concurrency client (Kubernetes
 * updates objects this way): "if the key's mod_revision is still the one I saw, put; else give me
 * the current key". One round trip either way: a lost race returns the new mod_revision in the
 * same response, and the next attempt on that key uses it.
 *
 * <p>The last mod_revision seen for each key is shared by all clients, so conflicts happen only
 * when two clients race on one key within a round trip: with a key space much larger than the
 * client count they are rare, and both outcomes count as completed requests.
 */
final class TxnCasLoad {

    private TxnCasLoad() {
    }

    static LoadResult run(LoadSpec spec, Connections connections) {
        KeySpace keys = new KeySpace(spec.keyPrefix(), spec.keySpace());
        ByteString value = KeySpace.value(spec.valueSize());
        // A key never written has mod_revision 0, and etcd compares a missing key as 0.
        Map<ByteString, Long> seen = new ConcurrentHashMap<>();
        LongAdder swapped = new LongAdder();
        LongAdder conflicts = new LongAdder();
        Operation cas = (channel, done) -> {
            ByteString key = keys.randomKey();
            Phases.kv(spec, channel).txn(request(key, seen.getOrDefault(key, 0L), value),
                    Unary.observer(response -> {
                        if (response.getSucceeded()) {
                            swapped.increment();
                            seen.merge(key, response.getHeader().getRevision(), Math::max);
                        } else {
                            conflicts.increment();
                            seen.merge(key, currentModRevision(response), Math::max);
                        }
                    }, done));
        };
        ClosedLoopDriver.Measurement measured = Phases.measure(spec, connections, spec.clients(), cas, () -> {
            swapped.reset();
            conflicts.reset();
        });
        SequencedMap<String, Object> details = new LinkedHashMap<>();
        details.put("key_space", spec.keySpace());
        details.put("cas_succeeded", swapped.sum());
        details.put("cas_conflicts", conflicts.sum());
        return Phases.result(spec, measured, details);
    }

    static TxnRequest request(ByteString key, long expectedModRevision, ByteString value) {
        return TxnRequest.newBuilder()
                .addCompare(Compare.newBuilder()
                        .setKey(key)
                        .setTarget(Compare.CompareTarget.MOD)
                        .setResult(Compare.CompareResult.EQUAL)
                        .setModRevision(expectedModRevision))
                .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(key).setValue(value)))
                .addFailure(RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(key)))
                .build();
    }

    private static long currentModRevision(TxnResponse response) {
        if (response.getResponsesCount() != 1 || !response.getResponses(0).hasResponseRange()) {
            throw new IllegalStateException("a failed CAS txn answered without its range: " + response);
        }
        var range = response.getResponses(0).getResponseRange();
        return range.getKvsCount() == 0 ? 0 : range.getKvs(0).getModRevision();
    }
}
