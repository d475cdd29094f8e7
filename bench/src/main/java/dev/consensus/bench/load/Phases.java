package dev.consensus.bench.load;

import com.google.protobuf.ByteString;
import dev.consensus.api.etcdserverpb.KVGrpc;
import dev.consensus.api.etcdserverpb.PutRequest;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.SequencedMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The steps the workloads share: warm up, measure, fill the key space, build the result. */
final class Phases {

    /** Longest a run waits, beyond a request's own deadline, for a client that finishes nothing. */
    private static final Duration STALL_GRACE = Duration.ofSeconds(5);
    /** Clients used to fill the key space before a read load, whatever the load's own count. */
    private static final int PREFILL_CLIENTS = 16;

    private Phases() {
    }

    /**
     * Runs the warm-up, if any, unrecorded, then the measured run. {@code resetCounts} runs in
     * between, when no request is in flight, so the workload's own counters cover only the
     * measured run.
     */
    static ClosedLoopDriver.Measurement measure(LoadSpec spec, Connections connections, int clients, Operation op,
            Runnable resetCounts) {
        ClosedLoopDriver driver = new ClosedLoopDriver(connections, clients, op, stallLimit(spec));
        if (!spec.warmup().isZero()) {
            driver.run(0, spec.warmup());
            resetCounts.run();
        }
        return driver.run(spec.total(), spec.duration());
    }

    static Duration stallLimit(LoadSpec spec) {
        return spec.timeout().plus(STALL_GRACE);
    }

    /** Writes every key of the key space once, so that reads find values. */
    static ClosedLoopDriver.Measurement prefill(LoadSpec spec, Connections connections, KeySpace keys,
            ByteString value) {
        AtomicInteger next = new AtomicInteger();
        Operation fill = (channel, done) -> kv(spec, channel)
                .put(PutRequest.newBuilder().setKey(keys.key(next.getAndIncrement() % keys.size())).setValue(value)
                        .build(), Unary.observer(done));
        int clients = Math.min(Math.max(spec.clients(), PREFILL_CLIENTS), keys.size());
        return new ClosedLoopDriver(connections, clients, fill, stallLimit(spec)).run(keys.size(), Duration.ZERO);
    }

    /** A KV stub whose next call carries the load's request deadline. */
    static KVGrpc.KVStub kv(LoadSpec spec, ManagedChannel channel) {
        return KVGrpc.newStub(channel).withDeadlineAfter(spec.timeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    static LoadResult result(LoadSpec spec, ClosedLoopDriver.Measurement measured, SequencedMap<String, Object> details) {
        return new LoadResult(spec, measured.ops(), measured.elapsed(), measured.latency(), measured.errors().counts(),
                measured.errors().firstMessages(), details);
    }
}
