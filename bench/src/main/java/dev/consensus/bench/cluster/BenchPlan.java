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
 * @param settle unrecorded time, split evenly over every load, before the first measured load
 * @param putClients client counts of the put loads
 * @param clients client count of the range and txn-cas loads
 * @param watchers watch streams of the watch load (its writer has one put in flight)
 * @param valueSize bytes per value
 * @param keySpace keys of the put and txn-cas loads
 * @param rangeKeySpace keys written once, then read, by the range loads
 * @param timeout deadline of each request
 */
public record BenchPlan(Duration duration, Duration warmup, Duration settle, List<Integer> putClients, int clients,
        int watchers, int valueSize, int keySpace, int rangeKeySpace, Duration timeout) {

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

    /**
     * Every load once, unrecorded and without its own warm-up, {@code settle} split evenly between
     * them; empty when {@code settle} is zero. A JVM server compiles each request kind's path only
     * once that kind has run for a while, and a load's own warm-up covers only its kind: after a
     * put-only warm-up the first range load still ran against interpreted code. etcd, compiled
     * ahead of time, runs the same pass, so both sides are measured in their steady state.
     */
    public List<PlannedLoad> settleLoads(int members) {
        List<PlannedLoad> loads = loads(members);
        if (settle.isZero()) {
            return List.of();
        }
        Duration each = settle.dividedBy(loads.size());
        if (each.isZero()) {
            each = Duration.ofMillis(1);
        }
        List<PlannedLoad> settling = new ArrayList<>();
        for (PlannedLoad load : loads) {
            settling.add(new PlannedLoad(load.label(), load.spec().withWarmup(Duration.ZERO).withLimits(0, each)));
        }
        return settling;
    }

    private static String clientsLabel(int count) {
        return count + (count == 1 ? " client" : " clients");
    }
}
