package dev.consensus.store.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.consensus.store.server.InProcessCluster.Node;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchEvent.EventType;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Bounded jetcd calls and the flattening of what they return, for {@link JetcdCompatibilityTest}. */
final class JetcdCalls {

    /** Every call and every wait on jetcd is bounded by this. */
    static final long WAIT_SECONDS = 10;

    private JetcdCalls() {}

    static Client clientFor(List<Node> nodes) {
        return Client.builder().endpoints(nodes.stream().map(Node::clientUrl).toArray(URI[]::new)).build();
    }

    static ByteSequence bs(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    static String str(ByteSequence b) {
        return b.toString(StandardCharsets.UTF_8);
    }

    static <T> T get(CompletableFuture<T> future) throws Exception {
        return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * The gRPC status a failed call carries. jetcd 0.8.7 completes a KV future with the
     * StatusRuntimeException itself (its retrying path does not wrap it in an EtcdException, as
     * its lease and maintenance paths do), so an application reads etcd's words from there.
     */
    static Status failure(CompletableFuture<?> future) throws Exception {
        try {
            future.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return Status.fromThrowable(e.getCause());
        }
        throw new AssertionError("expected the call to fail, and it succeeded");
    }

    /** What a watch delivered, flattened for comparison; prevValue is null when there was no prev_kv. */
    record Seen(EventType type, String key, String value, long modRevision, String prevValue) {
        static Seen of(WatchEvent e) {
            KeyValue kv = e.getKeyValue();
            KeyValue prev = e.getPrevKV();
            // jetcd hands over an empty KeyValue, not null, when the event has no prev_kv.
            String prevValue = prev == null || prev.getKey().isEmpty() ? null : str(prev.getValue());
            return new Seen(e.getEventType(), str(kv.getKey()), str(kv.getValue()), kv.getModRevision(), prevValue);
        }
    }

    /** The next {@code count} items, each waited for within the bound. */
    static <T> List<T> take(BlockingQueue<T> queue, int count) throws InterruptedException {
        List<T> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            T next = queue.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(next).as("item %d of %d (got %s)", i + 1, count, out).isNotNull();
            out.add(next);
        }
        return out;
    }

    /** A stream observer that queues what arrives and keeps any error. */
    static <T> StreamObserver<T> queueing(BlockingQueue<T> into, List<Throwable> errors) {
        return new StreamObserver<>() {
            @Override
            public void onNext(T value) {
                into.add(value);
            }

            @Override
            public void onError(Throwable t) {
                errors.add(t);
            }

            @Override
            public void onCompleted() {
            }
        };
    }
}
