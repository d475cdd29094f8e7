package dev.consensus.bench.cluster;

import dev.consensus.bench.load.Consistency;
import dev.consensus.bench.load.Endpoint;
import dev.consensus.bench.load.LoadSpec;
import dev.consensus.bench.load.Workload;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The loads of one side, in order: puts at each client count, linearizable and serializable
 * gets, txn CAS, watch delivery. Each has its own key prefix, so no load reads or conflicts with
 * another's keys.
 *
 * @param duration measured time of each load
 * @param warmup unrecorded time before each load
 * @param putClients client counts of the put loads
 * @param clients client count of the range and txn-cas loads
 * @param watchers watch streams of the watch load (its writer has one put in flight)
 * @param valueSize bytes per value
 * @param keySpace keys of the put and txn-cas loads
 * @param rangeKeySpace keys written once, then read, by the range loads
 * @param timeout deadline of each request
 */
public record BenchPlan(Duration duration, Duration warmup, List<Integer> putClients, int clients, int watchers,
        int valueSize, int keySpace, int rangeKeySpace, Duration timeout) {

    public BenchPlan {
        putClients = List.copyOf(putClients);
    }

    /** The loads, for a cluster of {@code members} (one connection per member). */
    public List<PlannedLoad> loads(int members) {
        // Placeholder endpoints: each load gets the cluster's own when it runs.
        List<Endpoint> placeholder = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            placeholder.add(new Endpoint("127.0.0.1", 1));
        }
        LoadSpec base = LoadSpec.defaults(placeholder, Workload.PUT)
                .withLimits(0, duration)
                .withWarmup(warmup)
                .withValueSize(valueSize)
                .withTimeout(timeout)
                .withConns(members);
        List<PlannedLoad> loads = new ArrayList<>();
        for (int count : putClients) {
            loads.add(new PlannedLoad("put, " + clientsLabel(count),
                    base.withClients(count).withKeys(keySpace, "bench/put-" + count + "/")));
        }
        for (Consistency consistency : Consistency.values()) {
            loads.add(new PlannedLoad("range " + consistency.cliName() + ", " + clientsLabel(clients),
                    base.withWorkload(Workload.RANGE).withClients(clients).withConsistency(consistency)
                            .withKeys(rangeKeySpace, "bench/range-" + consistency.cliName() + "/")));
        }
        loads.add(new PlannedLoad("txn-cas, " + clientsLabel(clients),
                base.withWorkload(Workload.TXN_CAS).withClients(clients).withKeys(keySpace, "bench/txn/")));
        loads.add(new PlannedLoad("watch, " + watchers + " watchers",
                base.withWorkload(Workload.WATCH_LATENCY).withClients(1).withWatchers(watchers)
                        .withKeys(keySpace, "bench/watch/")));
        return loads;
    }

    private static String clientsLabel(int count) {
        return count + (count == 1 ? " client" : " clients");
    }
}
