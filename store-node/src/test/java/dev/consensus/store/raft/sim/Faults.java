package dev.consensus.store.raft.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * The faults Raft claims to survive, injected while the simulation is in chaos: crashes that
 * lose all but the disk, and partitions (a node cut off, the cluster split in two, or a link cut
 * one way) that heal after a while. Loss, duplication and delay come from the network weather.
 */
final class Faults {

    private final Simulation sim;

    Faults(Simulation sim) {
        this.sim = sim;
    }

    void start() {
        scheduleCrash();
        schedulePartition();
    }

    private void scheduleCrash() {
        sim.events.after(1 + sim.random.nextInt(2 * sim.params.crashEveryMs()), () -> {
            if (sim.chaos) {
                crashOne();
            }
            scheduleCrash();
        });
    }

    private void schedulePartition() {
        sim.events.after(1 + sim.random.nextInt(2 * sim.params.partitionEveryMs()), () -> {
            if (sim.chaos) {
                partition();
            }
            schedulePartition();
        });
    }

    private void crashOne() {
        SimNode victim = sim.randomUpNode();
        if (victim == null) {
            return;
        }
        sim.crash(victim);
        sim.restartLater(victim, (long) SimParams.ELECTION_MS * (1 + sim.random.nextInt(8)));
    }

    private void partition() {
        List<Long> ids = new ArrayList<>(sim.nodes.keySet());
        ids.removeAll(sim.decommissioned);
        if (ids.size() < 2) {
            return;
        }
        List<long[]> cuts = new ArrayList<>();
        String what;
        switch (sim.random.nextInt(3)) {
            case 0 -> {
                long isolated = ids.get(sim.random.nextInt(ids.size()));
                for (long other : ids) {
                    if (other != isolated) {
                        cuts.add(new long[] {isolated, other});
                        cuts.add(new long[] {other, isolated});
                    }
                }
                what = "node " + isolated + " isolated";
            }
            case 1 -> {
                List<Long> side = new ArrayList<>();
                for (long id : ids) {
                    if (sim.random.nextBoolean()) {
                        side.add(id);
                    }
                }
                for (long a : side) {
                    for (long b : ids) {
                        if (!side.contains(b)) {
                            cuts.add(new long[] {a, b});
                            cuts.add(new long[] {b, a});
                        }
                    }
                }
                what = "split " + side + " from the rest";
            }
            default -> {
                long from = ids.get(sim.random.nextInt(ids.size()));
                long to = ids.get(sim.random.nextInt(ids.size()));
                if (from == to) {
                    return;
                }
                cuts.add(new long[] {from, to});
                what = "link " + from + "->" + to + " cut";
            }
        }
        for (long[] c : cuts) {
            sim.network.cut(c[0], c[1]);
        }
        sim.stats.partitions++;
        sim.trace("partition: %s", what);
        long generation = sim.network.healGeneration();
        sim.events.after((long) SimParams.ELECTION_MS * (1 + sim.random.nextInt(10)), () -> {
            if (generation != sim.network.healGeneration()) {
                return;
            }
            for (long[] c : cuts) {
                sim.network.restore(c[0], c[1]);
            }
            sim.trace("partition healed: %s", what);
        });
    }
}
