package dev.consensus.faults.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A short run of each scenario on three real store-node processes, as {@code make test} runs
 * them: every checker must pass. Longer runs: {@code make faults}.
 */
class FaultScenariosIT {

    /** Seconds of faults and load per scenario; the whole class stays near three minutes on two cores. */
    static final long SECONDS = Long.getLong("faults.seconds", 14);
    static final long SEED = Long.getLong("faults.seed", 1);

    static Path out() {
        return Path.of(System.getProperty("faults.out", "target/faults"));
    }

    @ParameterizedTest
    @EnumSource(value = Scenario.class, names = "MIXED", mode = EnumSource.Mode.EXCLUDE)
    void scenarioPassesEveryChecker(Scenario scenario) {
        RunResult r = FaultRun.run(RunOptions.of(scenario, SEED, Duration.ofSeconds(SECONDS), out()), System.out);
        if (r.skipped().isPresent()) {
            System.out.println("NOT RUN: " + r.summary());
            return;
        }
        assertThat(r.passed()).as(r.summary() + "\n" + r.report().orElseThrow().text() + "\nreplay: " + r.replay())
                .isTrue();
        assertThat(r.report().orElseThrow().operations()).as("operations recorded").isGreaterThan(100);
        assertThat(r.faultsApplied()).as("faults applied").isGreaterThan(0);
    }
}
