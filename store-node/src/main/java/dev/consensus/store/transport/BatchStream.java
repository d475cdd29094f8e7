package dev.consensus.store.transport;

import dev.consensus.api.raftpb.MessageBatch;
import dev.consensus.api.raftpb.PeerGrpc;
import dev.consensus.api.raftpb.StreamClosed;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.function.BiConsumer;

/**
 * One open {@code Peer.Stream} call to one peer. Its {@link PeerSender} sends on it, one batch at
 * a time under its lock; gRPC's threads tell it when the call ends, which the owner hears through {@code onEnd}.
 */
final class BatchStream implements ClientResponseObserver<MessageBatch, StreamClosed> {

    private final CallReadiness readiness = new CallReadiness();
    private final BiConsumer<BatchStream, Status> onEnd;
    private ClientCallStreamObserver<MessageBatch> call;
    private volatile boolean becameReady;

    private BatchStream(BiConsumer<BatchStream, Status> onEnd) {
        this.onEnd = onEnd;
    }

    /** Starts the call; {@code onEnd} is told once, with OK if the peer closed it normally. */
    static BatchStream open(ManagedChannel channel, BiConsumer<BatchStream, Status> onEnd) {
        BatchStream stream = new BatchStream(onEnd);
        // Without waiting for ready, a call started while gRPC still remembers a failed connect
        // fails at once, even when the peer is back and the reconnect was just asked for: a
        // restarted member lost the first vote request sent to it that way. The sender bounds
        // the wait (connectTimeout).
        PeerGrpc.newStub(channel).withWaitForReady().stream(stream);
        return stream;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<MessageBatch> requestStream) {
        this.call = requestStream;
        requestStream.setOnReadyHandler(readiness);
    }

    /** Waits until the call can take a batch; false if it ended or stayed busy for {@code timeout}. */
    boolean awaitReady(Duration timeout) throws InterruptedException {
        boolean ready = readiness.await(call, timeout);
        if (ready) {
            becameReady = true;
        }
        return ready;
    }

    /** True if the call can take a batch now, without waiting. */
    boolean isReady() {
        boolean ready = call.isReady();
        if (ready) {
            becameReady = true;
        }
        return ready;
    }

    /** True once the call was ready: the connection to the peer was made. */
    boolean connected() {
        return becameReady;
    }

    /** False if the call was cancelled meanwhile (the peer's URLs changed); the batch is dropped. */
    boolean send(MessageBatch batch) {
        try {
            call.onNext(batch);
            return true;
        } catch (IllegalStateException cancelled) {
            return false;
        }
    }

    /** Ends the call from this side, normally. */
    void finish() {
        try {
            call.onCompleted();
        } catch (IllegalStateException alreadyEnded) {
            // the peer ended it first: nothing to finish
        }
    }

    void cancel(String why) {
        call.cancel(why, null);
    }

    @Override
    public void onNext(StreamClosed value) {
        // The only response comes when the call ends normally; onCompleted follows.
    }

    @Override
    public void onError(Throwable t) {
        readiness.end();
        onEnd.accept(this, Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
        readiness.end();
        onEnd.accept(this, Status.OK);
    }
}
