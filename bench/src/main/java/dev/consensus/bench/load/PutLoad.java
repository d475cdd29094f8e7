package dev.consensus.bench.load;

import com.google.protobuf.ByteString;
import dev.consensus.api.etcdserverpb.PutRequest;
import java.util.LinkedHashMap;
import java.util.SequencedMap;

/** Puts of a fixed-size value to random keys of the key space: the write path through Raft. */
final class PutLoad {

    private PutLoad() {
    }

    static LoadResult run(LoadSpec spec, Connections connections) {
        KeySpace keys = new KeySpace(spec.keyPrefix(), spec.keySpace());
        ByteString value = KeySpace.value(spec.valueSize());
        Operation put = (channel, done) -> Phases.kv(spec, channel)
                .put(PutRequest.newBuilder().setKey(keys.randomKey()).setValue(value).build(), Unary.observer(done));
        ClosedLoopDriver.Measurement measured = Phases.measure(spec, connections, spec.clients(), put, () -> { });
        SequencedMap<String, Object> details = new LinkedHashMap<>();
        details.put("value_size", spec.valueSize());
        details.put("key_space", spec.keySpace());
        return Phases.result(spec, measured, details);
    }
}
