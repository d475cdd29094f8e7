package dev.consensus.store.raft.sim;

/** The outcome of one seed: passed, or the invariant that failed and when. */
public record SimulationResult(long seed, String params, SimulationFailure failure, long endedAtMs, long events,
        long leadersElected, long maxCommitted, SimStats stats) {

    static SimulationResult passed(SimParams params, SimStats stats, EventQueue events) {
        return new SimulationResult(params.seed(), params.toString(), null, events.now(), events.executed(), 0, 0, stats);
    }

    static SimulationResult failed(SimParams params, SimStats stats, EventQueue events, SimulationFailure failure) {
        return new SimulationResult(params.seed(), params.toString(), failure, events.now(), events.executed(), 0, 0,
                stats);
    }

    SimulationResult withCounts(long leaders, long committed) {
        return new SimulationResult(seed, params, failure, endedAtMs, events, leaders, committed, stats);
    }

    public boolean ok() {
        return failure == null;
    }

    /** The one command that replays this seed, narrated. */
    public String replayCommand() {
        return "make sim SEEDS=1 START=" + seed + " VERBOSE=1";
    }

    @Override
    public String toString() {
        String head = "seed " + seed + (ok() ? " passed" : " FAILED at " + endedAtMs + "ms: " + failure.getMessage());
        return head + "\n  params: " + params + "\n  " + stats + " leaders=" + leadersElected + " committed="
                + maxCommitted + " events=" + events + (ok() ? "" : "\n  replay: " + replayCommand());
    }
}
