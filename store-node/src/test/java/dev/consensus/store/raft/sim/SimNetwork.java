package dev.consensus.store.raft.sim;

import java.util.HashMap;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The network's behaviour at a moment: loss, duplication, delay (and so reordering), and which
 * links are cut. A cut is one-way; a symmetric partition is two cuts. Cuts are counted, so two
 * overlapping partitions heal independently.
 */
final class SimNetwork {

    /** How messages fare on links that are not cut. */
    record Weather(double dropRate, double duplicateRate, int maxDelayMs, double longDelayRate, int longDelayMs) {
        static final Weather CALM = new Weather(0, 0, 3, 0, 0);
    }

    private final RandomGenerator random;
    private final Map<Long, Integer> cuts = new HashMap<>();
    private Weather weather;
    private long epoch;
    private long healGeneration;

    SimNetwork(RandomGenerator random, Weather weather) {
        this.random = random;
        this.weather = weather;
    }

    void setWeather(Weather weather) {
        this.weather = weather;
    }

    boolean isCut(long from, long to) {
        return cuts.containsKey(link(from, to));
    }

    void cut(long from, long to) {
        cuts.merge(link(from, to), 1, Integer::sum);
    }

    void restore(long from, long to) {
        cuts.computeIfPresent(link(from, to), (k, n) -> n == 1 ? null : n - 1);
    }

    /** Every message now in flight is lost; messages sent from now on are not. */
    void loseInFlight() {
        epoch++;
    }

    long epoch() {
        return epoch;
    }

    /** Heals every cut; partitions made before this no longer restore anything. */
    void healAll() {
        cuts.clear();
        healGeneration++;
    }

    long healGeneration() {
        return healGeneration;
    }

    boolean hasCuts() {
        return !cuts.isEmpty();
    }

    boolean drops() {
        return weather.dropRate() > 0 && random.nextDouble() < weather.dropRate();
    }

    boolean duplicates() {
        return weather.duplicateRate() > 0 && random.nextDouble() < weather.duplicateRate();
    }

    long delayMs() {
        if (weather.longDelayRate() > 0 && random.nextDouble() < weather.longDelayRate()) {
            return 1 + random.nextInt(weather.longDelayMs());
        }
        return 1 + random.nextInt(weather.maxDelayMs());
    }

    private static long link(long from, long to) {
        return (from << 32) ^ to;
    }
}
