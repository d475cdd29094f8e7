package dev.consensus.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    // Three significant digits: every figure is within 0.1 % of the exact one.
    private static final double PRECISION = 0.001;

    @Test
    void anEmptyHistogramSummarisesToZeroes() {
        assertThat(new LatencyHistogram().summary()).isEqualTo(LatencySummary.EMPTY);
    }

    @Test
    void percentilesOfAUniformSpreadAreWhereTheyShouldBe() {
        LatencyHistogram histogram = new LatencyHistogram();
        for (long micros = 1; micros <= 10_000; micros++) {
            histogram.record(micros * 1_000);
        }
        LatencySummary summary = histogram.summary();
        assertThat(summary.count()).isEqualTo(10_000);
        assertClose(summary.p50(), 5_000_000);
        assertClose(summary.p90(), 9_000_000);
        assertClose(summary.p99(), 9_900_000);
        assertClose(summary.p999(), 9_990_000);
        assertClose(summary.max(), 10_000_000);
        assertThat(summary.mean()).isCloseTo(5_000_500, within(5_000_500 * PRECISION));
    }

    @Test
    void theTailIsKeptWhenItIsRare() {
        LatencyHistogram histogram = new LatencyHistogram();
        for (int i = 0; i < 999; i++) {
            histogram.record(1_000_000);
        }
        histogram.record(2_000_000_000);
        LatencySummary summary = histogram.summary();
        assertClose(summary.p99(), 1_000_000);
        assertClose(summary.p999(), 1_000_000);
        assertClose(summary.max(), 2_000_000_000);
    }

    @Test
    void oneValueIsEveryPercentile() {
        LatencyHistogram histogram = new LatencyHistogram();
        histogram.record(123_456_789);
        LatencySummary summary = histogram.summary();
        for (long value : List.of(summary.p50(), summary.p90(), summary.p99(), summary.p999(), summary.max())) {
            assertClose(value, 123_456_789);
        }
    }

    @Test
    void aNegativeLatencyCountsAsZero() {
        LatencyHistogram histogram = new LatencyHistogram();
        histogram.record(-5);
        assertThat(histogram.summary().count()).isEqualTo(1);
        assertThat(histogram.summary().max()).isZero();
    }

    @Test
    void recordsFromManyThreadsAreAllCounted() throws InterruptedException {
        LatencyHistogram histogram = new LatencyHistogram();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 1; i <= 25_000; i++) {
                    histogram.record(i);
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(histogram.count()).isEqualTo(100_000);
        assertClose(histogram.summary().max(), 25_000);
    }

    private static void assertClose(long actual, long expected) {
        assertThat((double) actual).isCloseTo(expected, within(expected * PRECISION));
    }
}
