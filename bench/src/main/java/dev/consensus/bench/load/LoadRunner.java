package dev.consensus.bench.load;

/** Runs one load, on connections of its own that are closed when it ends. */
public final class LoadRunner {

    private LoadRunner() {
    }

    public static LoadResult run(LoadSpec spec) {
        try (Connections connections = Connections.open(spec.endpoints(), spec.conns())) {
            return switch (spec.workload()) {
                case PUT -> PutLoad.run(spec, connections);
                case RANGE -> RangeLoad.run(spec, connections);
                case TXN_CAS -> TxnCasLoad.run(spec, connections);
                case WATCH_LATENCY -> WatchLatencyLoad.run(spec, connections);
            };
        }
    }
}
