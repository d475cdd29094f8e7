package dev.consensus.bench.load;

import io.grpc.ManagedChannel;

/**
 * One request of a workload, issued asynchronously; it must call exactly one of
 * {@link Completion}'s methods, once the request has finished, on a gRPC callback thread.
 */
@FunctionalInterface
interface Operation {

    void issue(ManagedChannel channel, Completion done);

    /** How an issued request ended. */
    interface Completion {
        void succeeded();

        void failed(Throwable error);
    }
}
