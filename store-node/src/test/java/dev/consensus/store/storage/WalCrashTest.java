package dev.consensus.store.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thousands of seeded crashes (issue 3's proof): write at random, stop the machine at a random
 * operation, lose every unsynced byte beyond a random prefix, sometimes flip a bit, recover.
 * Without a flip recovery must succeed; when it succeeds, the storage holds every acknowledged
 * write and nothing invented ({@link CrashModel}); a flip inside an intact record must be
 * reported as corruption.
 *
 * <p>{@code -Dwal.crash.seeds=N -Dwal.crash.start=S} runs other seeds; a failure prints the
 * command that replays it. Seeds run on a few threads at once, each on its own files: they wait
 * on fsync far more than they compute.
 */
class WalCrashTest {

    /** Sized for about 30 s on a 2-core machine. */
    private static final long DEFAULT_SEEDS = 2000;
    private static final int THREADS = Integer.getInteger("wal.crash.threads", 3);

    @Test
    void acknowledged_writes_survive_power_loss_and_corruption_is_reported_not_hidden(@TempDir Path tmp)
            throws Exception {
        long seeds = Long.getLong("wal.crash.seeds", DEFAULT_SEEDS);
        long start = Long.getLong("wal.crash.start", 1);
        Map<CrashRun.Outcome, Integer> outcomes = new EnumMap<>(CrashRun.Outcome.class);
        Map<Long, AssertionError> failures = new ConcurrentSkipListMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            for (long seed = start; seed < start + seeds; seed++) {
                long s = seed;
                pool.execute(() -> {
                    if (failures.isEmpty()) {
                        runSeed(s, tmp, outcomes, failures);
                    }
                });
            }
        } finally {
            pool.shutdown();
            assertThat(pool.awaitTermination(30, TimeUnit.MINUTES)).as("the seeds finish").isTrue();
        }
        if (!failures.isEmpty()) {
            throw failures.values().iterator().next();
        }
        System.out.printf("WalCrashTest: %d seeds from %d: %s%n", seeds, start, outcomes);
        if (seeds >= 200) {
            assertThat(outcomes).as("the seeds reach every outcome").containsKeys(CrashRun.Outcome.values());
        }
    }

    private static void runSeed(long seed, Path tmp, Map<CrashRun.Outcome, Integer> outcomes,
            Map<Long, AssertionError> failures) {
        Path root = tmp.resolve("seed-" + seed);
        CrashRun run = new CrashRun(seed, root);
        try {
            CrashRun.Outcome outcome = run.run();
            synchronized (outcomes) {
                outcomes.merge(outcome, 1, Integer::sum);
            }
            deleteRecursively(root);
        } catch (Exception | AssertionError e) {
            failures.put(seed, new AssertionError("WAL crash seed " + seed + " failed: " + e.getMessage() + "\n  run: "
                    + run.story() + "\n  replay: ./mvnw -pl store-node test -Dtest=WalCrashTest "
                    + "-Dsurefire.failIfNoSpecifiedTests=false -Dwal.crash.seeds=1 -Dwal.crash.start=" + seed, e));
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
