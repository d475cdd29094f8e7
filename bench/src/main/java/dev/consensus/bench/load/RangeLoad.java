package dev.consensus.bench.load;

import com.google.protobuf.ByteString;
import dev.consensus.api.etcdserverpb.RangeRequest;
import java.util.LinkedHashMap;
import java.util.SequencedMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Single-key gets of random keys, linearizable or serializable, after every key has been written
 * once. A get that finds nothing is still a success, but is counted: many would mean the reads
 * are cheaper than the load claims.
 */
final class RangeLoad {

    private RangeLoad() {
    }

    static LoadResult run(LoadSpec spec, Connections connections) {
        KeySpace keys = new KeySpace(spec.keyPrefix(), spec.keySpace());
        ClosedLoopDriver.Measurement fill = Phases.prefill(spec, connections, keys, KeySpace.value(spec.valueSize()));
        boolean serializable = spec.consistency() == Consistency.SERIALIZABLE;
        LongAdder empty = new LongAdder();
        Operation get = (channel, done) -> {
            ByteString key = keys.randomKey();
            Phases.kv(spec, channel).range(RangeRequest.newBuilder().setKey(key).setSerializable(serializable).build(),
                    Unary.observer(response -> {
                        if (response.getKvsCount() == 0) {
                            empty.increment();
                        }
                    }, done));
        };
        ClosedLoopDriver.Measurement measured = Phases.measure(spec, connections, spec.clients(), get, empty::reset);
        SequencedMap<String, Object> details = new LinkedHashMap<>();
        details.put("consistency", spec.consistency().cliName());
        details.put("key_space", spec.keySpace());
        details.put("prefilled", fill.ops());
        details.put("prefill_errors", fill.errors().total());
        details.put("empty_responses", empty.sum());
        return Phases.result(spec, measured, details);
    }
}
