package dev.consensus.store.raft.sim;

/** What happened in a run, to show that it did something worth checking. */
final class SimStats {
    long messagesSent;
    long crashes;
    long partitions;
    long snapshotsDelivered;
    long confChangesApplied;
    long writesCompleted;
    long readsCompleted;
    long probesPassed;
    long probesAbandoned;

    void add(SimStats o) {
        messagesSent += o.messagesSent;
        crashes += o.crashes;
        partitions += o.partitions;
        snapshotsDelivered += o.snapshotsDelivered;
        confChangesApplied += o.confChangesApplied;
        writesCompleted += o.writesCompleted;
        readsCompleted += o.readsCompleted;
        probesPassed += o.probesPassed;
        probesAbandoned += o.probesAbandoned;
    }

    @Override
    public String toString() {
        return "writes=" + writesCompleted + " reads=" + readsCompleted + " crashes=" + crashes + " partitions="
                + partitions + " snapshots=" + snapshotsDelivered + " confChanges=" + confChangesApplied
                + " probes=" + probesPassed + "/" + (probesPassed + probesAbandoned) + " messages=" + messagesSent;
    }
}
