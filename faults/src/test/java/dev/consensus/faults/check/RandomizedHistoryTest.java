package dev.consensus.faults.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.consensus.faults.history.Call;
import dev.consensus.faults.history.Entry;
import dev.consensus.faults.history.History;
import dev.consensus.faults.history.Operation;
import dev.consensus.faults.history.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Seeded random histories from a real single-copy store ({@link RegisterSimulation}): every
 * checker passes them; one read changed to a value nobody wrote always fails; one read changed
 * to another value fails exactly when a brute-force search over every order says it must.
 */
class RandomizedHistoryTest {

    private static final int SEEDS = 200;
    private static final RegisterSimulation.Shape LARGE = new RegisterSimulation.Shape(5, 30, 3, 0.1);
    private static final RegisterSimulation.Shape SMALL = new RegisterSimulation.Shape(3, 3, 1, 0.2);

    @Test
    void historiesOfASingleCopyPassEveryChecker() {
        for (long seed = 1; seed <= SEEDS; seed++) {
            History h = RegisterSimulation.generate(seed, LARGE);
            Checkers.Report report = Checkers.defaults().check(h);
            assertThat(report.status()).as("seed %d:\n%s", seed, report.text()).isEqualTo(Status.OK);
        }
    }

    @Test
    void readChangedToAValueNeverWrittenFails() {
        for (long seed = 1; seed <= SEEDS; seed++) {
            History h = mutateOneRead(RegisterSimulation.generate(seed, LARGE), new SplittableRandom(seed), "never-written");
            assertThat(new LinearizabilityChecker().check(h).status()).as("seed %d", seed).isEqualTo(Status.VIOLATION);
        }
    }

    @Test
    void readChangedToAnotherValueFailsExactlyWhenBruteForceSaysSo() {
        int rejected = 0;
        for (long seed = 1; seed <= 5 * SEEDS; seed++) {
            History h = RegisterSimulation.generate(seed, SMALL);
            SplittableRandom rnd = new SplittableRandom(seed);
            List<String> written = h.operations().stream()
                    .map(op -> op.call() instanceof Call.Write w ? w.value() : op.call() instanceof Call.Cas c ? c.value() : null)
                    .filter(Objects::nonNull).collect(Collectors.toCollection(ArrayList::new));
            written.add(null);
            History mutated = mutateOneRead(h, rnd, written.get(rnd.nextInt(written.size())));
            boolean expected = BruteForce.linearizable(mutated.operations());
            Status got = new LinearizabilityChecker().check(mutated).status();
            assertThat(got).as("seed %d", seed).isEqualTo(expected ? Status.OK : Status.VIOLATION);
            rejected += expected ? 0 : 1;
        }
        // The comparison means something only if many mutations are rejected and many are not.
        assertThat(rejected).isBetween(SEEDS / 2, 9 * SEEDS / 2);
    }

    /** The same history with one ok read (final reads included) answering {@code value} instead. */
    private static History mutateOneRead(History h, SplittableRandom rnd, String value) {
        List<Operation> reads = h.operations().stream()
                .filter(op -> op.call() instanceof Call.Read && op.isOk()).toList();
        Operation victim = reads.get(rnd.nextInt(reads.size()));
        List<Entry> entries = new ArrayList<>(h.entries());
        Outcome.Ok was = victim.ok();
        entries.set(entries.indexOf(victim), new Operation(victim.id(), victim.process(), victim.call(),
                victim.callNanos(), victim.returnNanos(), Outcome.Ok.read(value, was.modRevision(), was.revision())));
        return new History(entries);
    }
}
