package dev.consensus.store.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.consensus.api.etcdserverpb.KVGrpc;
import dev.consensus.api.etcdserverpb.MaintenanceGrpc;
import dev.consensus.api.etcdserverpb.WatchGrpc;
import io.grpc.Attributes;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

/** Writes run on the connection's thread; reads, streams and maintenance on a pool. */
class CallThreadsTest {

    @Test
    void writesStayOnTheConnectionThreadAndEverythingElseGoesToThePool() {
        try (CallThreads threads = new CallThreads()) {
            assertThat(threads.getExecutor(call(KVGrpc.getPutMethod()), new Metadata())).isNull();
            assertThat(threads.getExecutor(call(KVGrpc.getDeleteRangeMethod()), new Metadata())).isNull();
            assertThat(threads.getExecutor(call(KVGrpc.getTxnMethod()), new Metadata())).isNull();

            assertThat(threads.getExecutor(call(KVGrpc.getRangeMethod()), new Metadata())).isNotNull();
            assertThat(threads.getExecutor(call(KVGrpc.getCompactMethod()), new Metadata())).isNotNull();
            assertThat(threads.getExecutor(call(WatchGrpc.getWatchMethod()), new Metadata())).isNotNull();
            assertThat(threads.getExecutor(call(MaintenanceGrpc.getSnapshotMethod()), new Metadata())).isNotNull();
        }
    }

    private static <Q, R> ServerCall<Q, R> call(MethodDescriptor<Q, R> method) {
        return new ServerCall<>() {
            @Override
            public void request(int numMessages) {
            }

            @Override
            public void sendHeaders(Metadata headers) {
            }

            @Override
            public void sendMessage(R message) {
            }

            @Override
            public void close(Status status, Metadata trailers) {
            }

            @Override
            public boolean isCancelled() {
                return false;
            }

            @Override
            public Attributes getAttributes() {
                return Attributes.EMPTY;
            }

            @Override
            public MethodDescriptor<Q, R> getMethodDescriptor() {
                return method;
            }
        };
    }
}
