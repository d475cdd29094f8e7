package dev.consensus.store.mvcc;

import dev.consensus.api.etcdserverpb.WatchResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A watch listener that hands what its stream sends to the test thread; every wait is bounded. */
final class WatchRecorder implements WatchListener {

    static final Duration WAIT = Duration.ofSeconds(10);

    private final LinkedBlockingQueue<WatchResponse> responses = new LinkedBlockingQueue<>();
    private final CountDownLatch closed = new CountDownLatch(1);

    @Override
    public void onResponse(WatchResponse response) {
        responses.add(response);
    }

    @Override
    public void onClose() {
        closed.countDown();
    }

    WatchResponse next() {
        try {
            WatchResponse response = responses.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (response == null) {
                throw new AssertionError("no watch response within " + WAIT);
            }
            return response;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Every response up to and including the first that matches; at most {@code max} of them. */
    List<WatchResponse> until(Predicate<WatchResponse> last, int max) {
        List<WatchResponse> seen = new ArrayList<>();
        for (int i = 0; i < max; i++) {
            WatchResponse response = next();
            seen.add(response);
            if (last.test(response)) {
                return seen;
            }
        }
        throw new AssertionError("no matching watch response among " + max + ": " + seen);
    }

    boolean awaitClosed() {
        try {
            return closed.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** True when the response is etcd's stream-wide progress notification. */
    static boolean isStreamProgress(WatchResponse response) {
        return response.getWatchId() == -1 && !response.getCreated() && !response.getCanceled()
                && response.getEventsCount() == 0;
    }
}
