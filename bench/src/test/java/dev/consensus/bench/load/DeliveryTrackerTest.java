package dev.consensus.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Times are given, not read from a clock: each case is exact. */
class DeliveryTrackerTest {

    private static final long MS = 1_000_000;

    @Test
    void delayIsFromTheAcknowledgementToEachWatchersEvent() {
        DeliveryTracker tracker = new DeliveryTracker(2, 0);
        tracker.acknowledged(5, 100 * MS);
        tracker.delivered(5, 103 * MS);
        tracker.delivered(5, 107 * MS);
        LatencySummary latency = tracker.latency();
        assertThat(latency.count()).isEqualTo(2);
        assertThat(latency.p50()).isBetween(3 * MS - MS / 100, 3 * MS + MS / 100);
        assertThat(latency.max()).isBetween(7 * MS - MS / 100, 7 * MS + MS / 100);
        assertThat(tracker.undelivered()).isZero();
        assertThat(tracker.deliveredBeforeAck()).isZero();
    }

    @Test
    void anEventHandledBeforeItsAcknowledgementCountsAsNoDelay() {
        DeliveryTracker tracker = new DeliveryTracker(1, 0);
        tracker.delivered(9, 50 * MS);
        tracker.acknowledged(9, 60 * MS);
        assertThat(tracker.deliveredBeforeAck()).isEqualTo(1);
        assertThat(tracker.latency().max()).isZero();
        assertThat(tracker.undelivered()).isZero();
    }

    @Test
    void missingEventsAreCountedPerWatcher() {
        DeliveryTracker tracker = new DeliveryTracker(3, 0);
        tracker.acknowledged(1, 0);
        tracker.acknowledged(2, 0);
        tracker.delivered(1, MS);
        assertThat(tracker.undelivered()).isEqualTo(2 + 3);
        assertThat(tracker.awaitDelivered(Duration.ZERO)).isFalse();
        tracker.delivered(1, MS);
        tracker.delivered(1, MS);
        tracker.delivered(2, MS);
        tracker.delivered(2, MS);
        tracker.delivered(2, MS);
        assertThat(tracker.undelivered()).isZero();
        assertThat(tracker.awaitDelivered(Duration.ZERO)).isTrue();
        assertThat(tracker.acknowledgedCount()).isEqualTo(2);
        assertThat(tracker.deliveredCount()).isEqualTo(6);
    }

    @Test
    void revisionsOfAnEarlierPhaseAreIgnored() {
        DeliveryTracker tracker = new DeliveryTracker(1, 10);
        tracker.delivered(10, MS);
        tracker.acknowledged(10, 0);
        assertThat(tracker.deliveredCount()).isZero();
        assertThat(tracker.acknowledgedCount()).isZero();
        assertThat(tracker.latency().count()).isZero();
    }
}
