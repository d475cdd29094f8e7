package dev.consensus.store.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HistogramTest {

    private final MetricRegistry registry = new MetricRegistry();

    @Test
    void etcdsDiskBucketsDoubleFromOneMillisecondToEightSeconds() {
        assertThat(Buckets.exponential(0.001, 2, 14)).containsExactly(
                0.001, 0.002, 0.004, 0.008, 0.016, 0.032, 0.064, 0.128, 0.256, 0.512, 1.024, 2.048, 4.096, 8.192);
    }

    @Test
    void aBucketCountsObservationsUpToAndIncludingItsBound() {
        Histogram h = registry.histogram("lat_seconds", "Latency.", new double[] {0.1, 1, 10});
        h.observe(0.05);
        h.observe(0.1); // on the bound: counted in le="0.1"
        h.observe(0.5);
        h.observe(10);
        h.observe(11); // only in +Inf
        h.observe(Double.NaN); // ignored

        Exposition.Family family = Exposition.parse(registry.scrape()).family("lat_seconds");

        assertThat(family.type()).isEqualTo("histogram");
        assertThat(buckets(family)).containsExactly(
                Map.entry("0.1", 2.0), Map.entry("1", 3.0), Map.entry("10", 4.0), Map.entry("+Inf", 5.0));
        assertThat(family.sample("lat_seconds_count", Map.of()).value()).isEqualTo(5);
        assertThat(family.sample("lat_seconds_sum", Map.of()).value()).isEqualTo(0.05 + 0.1 + 0.5 + 10 + 11);
    }

    @Test
    void bucketsComeBeforeSumAndCountAndCarryTheConstantLabels() {
        Histogram h = registry.histogram("d_seconds", "D.", Map.of("disk", "wal"), new double[] {0.5});
        h.observe(Duration.ofMillis(250));

        assertThat(registry.scrape()).isEqualTo("""
                # HELP d_seconds D.
                # TYPE d_seconds histogram
                d_seconds_bucket{disk="wal",le="0.5"} 1
                d_seconds_bucket{disk="wal",le="+Inf"} 1
                d_seconds_sum{disk="wal"} 0.25
                d_seconds_count{disk="wal"} 1
                """);
    }

    @Test
    void anEmptyHistogramRendersZeroes() {
        registry.histogram("e_seconds", "E.", Buckets.exponential(0.001, 2, 14));

        Exposition.Family family = Exposition.parse(registry.scrape()).family("e_seconds");

        assertThat(buckets(family)).hasSize(15).allSatisfy((le, count) -> assertThat(count).isZero());
        assertThat(buckets(family)).containsKeys("0.001", "8.192", "+Inf");
        assertThat(family.sample("e_seconds_count", Map.of()).value()).isZero();
    }

    @Test
    void concurrentObservationsAreAllCounted() throws Exception {
        Histogram h = registry.histogram("c_seconds", "C.", new double[] {1});
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 10_000; i++) {
                    h.observe(i % 2 == 0 ? 0.5 : 2);
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        Histogram.Snapshot s = h.snapshot();
        assertThat(s.count()).isEqualTo(40_000);
        assertThat(s.cumulativeCounts()).containsExactly(20_000, 40_000);
        assertThat(s.sum()).isEqualTo(20_000 * 0.5 + 20_000 * 2);
    }

    @Test
    void badBoundsAreRefused() {
        assertThatThrownBy(() -> Buckets.check(new double[] {})).hasMessageContaining("at least one");
        assertThatThrownBy(() -> Buckets.check(new double[] {1, 1})).hasMessageContaining("strictly increasing");
        assertThatThrownBy(() -> Buckets.check(new double[] {2, 1})).hasMessageContaining("strictly increasing");
        assertThatThrownBy(() -> Buckets.check(new double[] {1, Double.POSITIVE_INFINITY}))
                .hasMessageContaining("finite");
        assertThatThrownBy(() -> Buckets.exponential(0, 2, 3)).hasMessageContaining("start > 0");
        assertThatThrownBy(() -> Buckets.exponential(1, 1, 3)).hasMessageContaining("factor > 1");
    }

    private static Map<String, Double> buckets(Exposition.Family family) {
        Map<String, Double> buckets = new LinkedHashMap<>();
        family.samples().stream()
                .filter(s -> s.name().endsWith("_bucket"))
                .forEach(s -> buckets.put(s.labels().get("le"), s.value()));
        return buckets;
    }
}
