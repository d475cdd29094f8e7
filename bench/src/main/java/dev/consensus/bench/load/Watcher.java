package dev.consensus.bench.load;

import com.google.protobuf.ByteString;
import dev.consensus.api.etcdserverpb.WatchCreateRequest;
import dev.consensus.api.etcdserverpb.WatchGrpc;
import dev.consensus.api.etcdserverpb.WatchRequest;
import dev.consensus.api.etcdserverpb.WatchResponse;
import dev.consensus.api.mvccpb.Event;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One watch stream on the run's key prefix, handing each put event's revision and arrival time
 * to the current {@link DeliveryTracker}. A stream that fails or is cancelled by the server is
 * counted once in the run's errors; it delivers nothing more, which the tracker then reports as
 * events not delivered.
 */
final class Watcher implements StreamObserver<WatchResponse> {

    private final AtomicReference<DeliveryTracker> tracker;
    private final ErrorTally errors;
    private final CountDownLatch created = new CountDownLatch(1);
    private volatile boolean closing;
    private ClientCallStreamObserver<WatchRequest> requests;

    Watcher(AtomicReference<DeliveryTracker> tracker, ErrorTally errors) {
        this.tracker = tracker;
        this.errors = errors;
    }

    /** Opens the stream and asks for the watch; {@link #awaitCreated} says when it is in place. */
    void open(ManagedChannel channel, ByteString key, ByteString rangeEnd) {
        requests = (ClientCallStreamObserver<WatchRequest>) WatchGrpc.newStub(channel).watch(this);
        requests.onNext(WatchRequest.newBuilder()
                .setCreateRequest(WatchCreateRequest.newBuilder().setKey(key).setRangeEnd(rangeEnd))
                .build());
    }

    boolean awaitCreated(Duration limit) throws InterruptedException {
        return created.await(limit.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void onNext(WatchResponse response) {
        long now = System.nanoTime();
        if (response.getCreated()) {
            created.countDown();
        }
        if (response.getCanceled()) {
            errors.add("WATCH_CANCELED", 1, "the server cancelled the watch: " + response.getCancelReason());
            return;
        }
        DeliveryTracker current = tracker.get();
        for (Event event : response.getEventsList()) {
            if (event.getType() == Event.EventType.PUT) {
                current.delivered(event.getKv().getModRevision(), now);
            }
        }
    }

    @Override
    public void onError(Throwable error) {
        if (!closing) {
            errors.record(error);
        }
    }

    @Override
    public void onCompleted() {
        if (!closing) {
            errors.add("WATCH_CLOSED", 1, "the server ended the watch stream");
        }
    }

    void close() {
        closing = true;
        if (requests != null) {
            requests.cancel("load finished", null);
        }
    }
}
