package dev.consensus.store.raft.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The simulation as part of {@code make test}: a range of seeds ({@code -Dsim.seeds}, from
 * {@code -Dsim.start}; 5000 from 1 by default), every one of which must pass. A failure prints
 * the seed, the broken invariant and the command that replays it.
 */
class SimulationSeedsTest {

    @Test
    void every_seed_in_the_range_keeps_every_invariant_and_converges_after_faults_stop() throws Exception {
        long start = Long.getLong("sim.start", 1);
        int seeds = Integer.getInteger("sim.seeds", 5000);
        SimulationMain.Summary summary = SimulationMain.runRange(start, seeds);
        System.out.println(summary);
        assertThat(summary.failures()).as(summary.toString()).isEmpty();
        assertThat(summary.totals().writesCompleted).as("the runs did real work").isPositive();
    }
}
