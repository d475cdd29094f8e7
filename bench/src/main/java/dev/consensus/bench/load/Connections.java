package dev.consensus.bench.load;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gRPC connections of one run: {@code conns} channels, the i-th to endpoint
 * {@code i mod endpoints}, so with as many connections as endpoints every member gets one and
 * writes reach followers too (which forward them to the leader, as with etcd's benchmark tool).
 *
 * <p>All channels deliver callbacks on one small fixed pool: gRPC's default pool grows a thread
 * per blocked callback, and 256 clients on a 2-core machine would then measure thread
 * scheduling rather than the server.
 */
public final class Connections implements AutoCloseable {

    private static final long CLOSE_WAIT_MILLIS = 5_000;

    private final List<ManagedChannel> channels;
    private final ExecutorService executor;

    private Connections(List<ManagedChannel> channels, ExecutorService executor) {
        this.channels = channels;
        this.executor = executor;
    }

    public static Connections open(List<Endpoint> endpoints, int conns) {
        ExecutorService executor = Executors.newFixedThreadPool(
                Math.max(2, Runtime.getRuntime().availableProcessors()), daemonThreads());
        List<ManagedChannel> channels = new ArrayList<>(conns);
        for (int i = 0; i < conns; i++) {
            Endpoint endpoint = endpoints.get(i % endpoints.size());
            channels.add(NettyChannelBuilder.forAddress(endpoint.host(), endpoint.port())
                    .usePlaintext()
                    .executor(executor)
                    .build());
        }
        return new Connections(List.copyOf(channels), executor);
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger next = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "load-grpc-" + next.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** The channel for client {@code index}: clients share connections round-robin. */
    public ManagedChannel channel(int index) {
        return channels.get(Math.floorMod(index, channels.size()));
    }

    public int size() {
        return channels.size();
    }

    @Override
    public void close() {
        channels.forEach(ManagedChannel::shutdownNow);
        try {
            for (ManagedChannel channel : channels) {
                channel.awaitTermination(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executor.shutdownNow();
    }
}
