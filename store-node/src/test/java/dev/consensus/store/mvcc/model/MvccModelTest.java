package dev.consensus.store.mvcc.model;

import dev.consensus.store.mvcc.MvccConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store against the model: seeded random sequences of puts, deletes, txns (nested too),
 * ranges with every option, compactions, lease grants, revokes and queries, watches from now or
 * from the past, progress requests and cancels, and restarts at random points, each answer and
 * each watch stream compared with {@link EtcdModel}'s after every step, on a real RocksDB.
 *
 * <p>Seeds {@code mvcc.model.start} (default 1) to {@code start + mvcc.model.seeds - 1} (default
 * {@value #DEFAULT_SEEDS}), {@code mvcc.model.steps} steps each (default {@value #DEFAULT_STEPS}).
 * A failure names its seed and prints the command that replays it alone; with {@code
 * -Dmvcc.model.keepGoing=true} every seed runs and all failures are listed.
 */
class MvccModelTest {

    static final int DEFAULT_SEEDS = 120;
    static final int DEFAULT_STEPS = 200;

    @TempDir
    Path dir;

    @Test
    void the_store_answers_every_generated_sequence_as_the_model_of_etcd_does() {
        long start = Long.getLong("mvcc.model.start", 1);
        int seeds = Integer.getInteger("mvcc.model.seeds", DEFAULT_SEEDS);
        int steps = Integer.getInteger("mvcc.model.steps", DEFAULT_STEPS);
        boolean keepGoing = Boolean.getBoolean("mvcc.model.keepGoing");
        List<String> failures = new ArrayList<>();
        RunStats stats = new RunStats();
        for (long seed = start; seed < start + seeds; seed++) {
            try (StoreTarget store = new StoreTarget(dir.resolve("seed-" + seed), MvccConfig.defaults())) {
                new SequenceRun(seed, steps, GeneratorConfig.forStore(), MvccModelTest::replay, List.of(store), stats)
                        .run();
            } catch (AssertionError e) {
                if (!keepGoing) {
                    throw e;
                }
                System.out.println(e.getMessage());
                failures.add(e.getMessage().lines().limit(4).reduce((a, b) -> a + "\n    " + b).orElse(""));
            }
        }
        System.out.printf("MvccModelTest: seeds %d..%d, %d steps each, %d operations compared, %d seeds failed%n%s",
                start, start + seeds - 1, steps, stats.operations(), failures.size(), stats);
        if (!failures.isEmpty()) {
            throw new AssertionError(failures.size() + " seeds failed:\n  " + String.join("\n  ", failures));
        }
    }

    static String replay(long seed) {
        return "./mvnw -B -pl store-node -am test -Dtest=MvccModelTest -Dsurefire.failIfNoSpecifiedTests=false"
                + " -Dmvcc.model.start=" + seed + " -Dmvcc.model.seeds=1";
    }
}
