package dev.consensus.store.mvcc.compat;

import dev.consensus.store.mvcc.MvccConfig;
import dev.consensus.store.mvcc.model.GeneratorConfig;
import dev.consensus.store.mvcc.model.RunStats;
import dev.consensus.store.mvcc.model.SequenceRun;
import dev.consensus.store.mvcc.model.StoreTarget;
import dev.consensus.store.testing.EtcdProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store against a real etcd 3.4, response by response: the same seeded sequences of
 * operations go to a fresh etcd (through our gRPC stubs) and to a fresh store, and every answer
 * (revisions, key-values with every field, more, count, prev_kv, deleted, txn branches and
 * nested responses, errors with gRPC code and message) and every watch stream must be the same,
 * and the same as the model's, which this also checks against etcd.
 *
 * <p>Each seed gets its own etcd, so revisions, compactions and lease ids start from nothing on
 * both sides and compare as they are. Seeds {@code mvcc.diff.start} (default 1) to {@code start +
 * mvcc.diff.seeds - 1} (default {@value #DEFAULT_SEEDS}), {@code mvcc.diff.steps} steps each
 * (default {@value #DEFAULT_STEPS}); {@code -Dmvcc.diff.keepGoing=true} runs every seed and lists
 * all failures.
 */
class EtcdDifferentialTest {

    static final int DEFAULT_SEEDS = 20;
    static final int DEFAULT_STEPS = 200;

    @TempDir
    Path dir;

    @Test
    void the_store_answers_every_generated_sequence_as_etcd_does() {
        long start = Long.getLong("mvcc.diff.start", 1);
        int seeds = Integer.getInteger("mvcc.diff.seeds", DEFAULT_SEEDS);
        int steps = Integer.getInteger("mvcc.diff.steps", DEFAULT_STEPS);
        boolean keepGoing = Boolean.getBoolean("mvcc.diff.keepGoing");
        List<String> failures = new ArrayList<>();
        RunStats stats = new RunStats();
        for (long seed = start; seed < start + seeds; seed++) {
            Path seedDir = dir.resolve("seed-" + seed);
            try (EtcdProcess etcd = EtcdProcess.start(dir);
                    EtcdTarget etcdTarget = new EtcdTarget(etcd);
                    StoreTarget store = new StoreTarget(seedDir, MvccConfig.defaults())) {
                new SequenceRun(seed, steps, GeneratorConfig.forEtcd(), EtcdDifferentialTest::replay,
                        List.of(etcdTarget, store), stats).run();
            } catch (AssertionError e) {
                if (!keepGoing) {
                    throw e;
                }
                System.out.println(e.getMessage());
                failures.add(e.getMessage().lines().limit(6).reduce((a, b) -> a + "\n    " + b).orElse(""));
            }
        }
        System.out.printf("EtcdDifferentialTest: seeds %d..%d, %d steps each, %d operations sent to each side,"
                + " %d seeds failed%n%s", start, start + seeds - 1, steps, stats.operations(), failures.size(), stats);
        if (!failures.isEmpty()) {
            throw new AssertionError(failures.size() + " seeds failed:\n  " + String.join("\n  ", failures));
        }
    }

    static String replay(long seed) {
        return "./mvnw -B -pl store-node -am test -Dtest=EtcdDifferentialTest -Dsurefire.failIfNoSpecifiedTests=false"
                + " -Dmvcc.diff.start=" + seed + " -Dmvcc.diff.seeds=1";
    }
}
