package dev.consensus.faults.harness;

import dev.consensus.faults.history.HistoryRecorder;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/** What every workload thread of one run shares: the cluster, the recorder, the budget, the stop flag. */
final class RunContext {

    final Cluster cluster;
    final HistoryRecorder recorder;
    final RunOptions options;
    final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong operations = new AtomicLong();

    RunContext(Cluster cluster, HistoryRecorder recorder, RunOptions options) {
        this.cluster = cluster;
        this.recorder = recorder;
        this.options = options;
    }

    /** Takes one operation from the budget; false when the run should stop issuing operations. */
    boolean nextOperation() {
        if (stop.get()) {
            return false;
        }
        if (operations.incrementAndGet() > options.maxOperations()) {
            stop.set(true);
            return false;
        }
        return true;
    }

    /** A member slot for a client to talk to: any member not removed (dead ones too: clients don't know). */
    int pickMember(Random random) {
        List<Cluster.Node> members = cluster.members();
        return members.get(random.nextInt(members.size())).slot;
    }

    /** Another member than {@code current} (when there is another), after a failed call. */
    int otherMember(Random random, int current) {
        List<Cluster.Node> members = cluster.members().stream().filter(n -> n.slot != current).toList();
        return members.isEmpty() ? current : members.get(random.nextInt(members.size())).slot;
    }

    /** A random stream per actor, derived from the run's seed, so a schedule replays. */
    Random random(String actor) {
        return new Random(options.seed() * 1_000_003L + actor.hashCode());
    }
}
