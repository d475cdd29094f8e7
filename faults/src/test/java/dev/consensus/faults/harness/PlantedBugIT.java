package dev.consensus.faults.harness;

import static org.assertj.core.api.Assertions.assertThat;

import dev.consensus.faults.check.CheckResult;
import dev.consensus.faults.check.Status;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The checkers can fail on a real server: with the planted bug
 * {@code --unsafe-local-linearizable-reads} (linearizable reads answered locally, without
 * ReadIndex) the partition schedule makes a cut-off member serve stale values, and the
 * linearizability checker must say so.
 */
class PlantedBugIT {

    @Test
    void partitionScheduleCatchesLocalReads() {
        RunOptions o = RunOptions.of(Scenario.PARTITION, Long.getLong("faults.planted.seed", 1),
                Duration.ofSeconds(Long.getLong("faults.seconds", 14)), FaultScenariosIT.out())
                .withServerFlags(List.of("--unsafe-local-linearizable-reads"));
        RunResult r = FaultRun.run(new RunOptions(o.scenario(), o.seed(), o.duration(), o.maxOperations(), o.keys(),
                o.clients(), o.watchers(), o.leaseClients(), o.opTimeout(), o.serverFlags(),
                o.outRoot().resolve("planted-bug")), System.out);
        CheckResult linearizability = r.report().orElseThrow().results().stream()
                .filter(c -> c.checker().equals("linearizability")).findFirst().orElseThrow();
        assertThat(linearizability.status()).as(r.summary() + "\n" + r.report().orElseThrow().text())
                .isEqualTo(Status.VIOLATION);
    }
}
