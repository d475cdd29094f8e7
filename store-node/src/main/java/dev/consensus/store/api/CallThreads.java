package dev.consensus.store.api;

import dev.consensus.api.etcdserverpb.KVGrpc;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Which thread runs a client call. A write (Put, DeleteRange, Txn) only checks the request and
 * queues a proposal for the Raft loop, so it runs on the connection's own thread: a hand-over to a
 * pool thread first cost a thread wake-up on the path of every write, which on a busy machine is
 * milliseconds. Everything else, reads of any size, streams and maintenance, may take long or
 * block, and runs on a pool so that it never holds up the connection.
 */
final class CallThreads implements ServerCallExecutorSupplier, AutoCloseable {

    private static final Set<MethodDescriptor<?, ?>> ON_CONNECTION_THREAD = Set.of(
            KVGrpc.getPutMethod(), KVGrpc.getDeleteRangeMethod(), KVGrpc.getTxnMethod());

    private final ExecutorService pool = Executors.newCachedThreadPool(
            Thread.ofPlatform().name("client-call-", 0).daemon().factory());

    /** The server's default executor: the calling (connection) thread; {@link #getExecutor} may switch. */
    static Executor connectionThread() {
        return Runnable::run;
    }

    @Override
    public <Q, R> Executor getExecutor(ServerCall<Q, R> call, Metadata headers) {
        return ON_CONNECTION_THREAD.contains(call.getMethodDescriptor()) ? null : pool;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
