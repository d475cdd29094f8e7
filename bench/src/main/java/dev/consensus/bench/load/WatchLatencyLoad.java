package dev.consensus.bench.load;

import com.google.protobuf.ByteString;
import dev.consensus.api.etcdserverpb.PutRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Watch delivery latency: W watch streams on one prefix (spread over the connections, so over
 * the members), one writer putting to random keys under it; for each put, the delay from its
 * acknowledgement to each watcher's event. The key prefix gets a per-run suffix so that no
 * earlier run's writes reach these watchers.
 */
final class WatchLatencyLoad {

    private WatchLatencyLoad() {
    }

    static LoadResult run(LoadSpec spec, Connections connections) {
        String prefix = spec.keyPrefix() + "watch-" + Long.toString(System.nanoTime(), 36) + "/";
        KeySpace keys = new KeySpace(prefix, spec.keySpace());
        ByteString value = KeySpace.value(spec.valueSize());
        ErrorTally watchErrors = new ErrorTally();
        AtomicReference<DeliveryTracker> tracker = new AtomicReference<>(new DeliveryTracker(spec.watchers(), 0));
        List<Watcher> watchers = new ArrayList<>();
        try {
            openWatchers(spec, connections, keys, tracker, watchErrors, watchers);
            AtomicLong lastRevision = new AtomicLong();
            Operation put = (channel, done) -> Phases.kv(spec, channel).put(
                    PutRequest.newBuilder().setKey(keys.randomKey()).setValue(value).build(),
                    Unary.observer(response -> {
                        long revision = response.getHeader().getRevision();
                        lastRevision.accumulateAndGet(revision, Math::max);
                        tracker.get().acknowledged(revision, System.nanoTime());
                    }, done));
            ClosedLoopDriver driver = new ClosedLoopDriver(connections, spec.clients(), put, Phases.stallLimit(spec));
            if (!spec.warmup().isZero()) {
                driver.run(0, spec.warmup());
                tracker.get().awaitDelivered(spec.timeout());
                tracker.set(new DeliveryTracker(spec.watchers(), lastRevision.get()));
            }
            ClosedLoopDriver.Measurement writes = driver.run(spec.total(), spec.duration());
            DeliveryTracker measured = tracker.get();
            measured.awaitDelivered(spec.timeout());
            ErrorTally errors = writes.errors();
            errors.merge(watchErrors);
            errors.add("NOT_DELIVERED", measured.undelivered(),
                    "watch events not received within " + Durations.format(spec.timeout()) + " of the last put");
            SequencedMap<String, Object> details = new LinkedHashMap<>();
            details.put("watchers", spec.watchers());
            details.put("events_delivered", measured.deliveredCount());
            details.put("events_before_ack", measured.deliveredBeforeAck());
            details.put("put_p50_ms", LatencySummary.millis(writes.latency().p50()));
            details.put("put_p99_ms", LatencySummary.millis(writes.latency().p99()));
            return new LoadResult(spec, writes.ops(), writes.elapsed(), measured.latency(), errors.counts(),
                    errors.firstMessages(), details);
        } finally {
            watchers.forEach(Watcher::close);
        }
    }

    private static void openWatchers(LoadSpec spec, Connections connections, KeySpace keys,
            AtomicReference<DeliveryTracker> tracker, ErrorTally errors, List<Watcher> watchers) {
        for (int i = 0; i < spec.watchers(); i++) {
            Watcher watcher = new Watcher(tracker, errors);
            watchers.add(watcher);
            watcher.open(connections.channel(i), keys.prefix(), keys.prefixEnd());
        }
        try {
            for (Watcher watcher : watchers) {
                if (!watcher.awaitCreated(spec.timeout())) {
                    throw new IllegalStateException("a watch was not created within " + Durations.format(spec.timeout())
                            + (errors.total() > 0 ? ": " + errors.firstMessages() : ""));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating watches", e);
        }
    }
}
