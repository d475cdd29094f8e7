package dev.consensus.bench.load;

import java.time.Duration;
import java.util.List;

/**
 * One load to run, checked: every field is within its range when the record exists, so the
 * workloads never meet a nonsensical value half-way through a run.
 *
 * @param endpoints client endpoints; connections are spread over them round-robin
 * @param workload what each request does
 * @param clients requests kept in flight at once (for watch-latency: the writer's in-flight puts)
 * @param conns gRPC connections, shared by the clients round-robin
 * @param total requests to complete, or 0 for no count limit
 * @param duration how long to run, or {@link Duration#ZERO} for no time limit
 * @param warmup how long to run the same load, unrecorded, before measuring
 * @param valueSize bytes in each value written
 * @param keySpace distinct keys written or read; keys are chosen uniformly at random
 * @param keyPrefix prefix of every key (watch-latency adds a per-run suffix)
 * @param consistency range consistency
 * @param watchers watch streams for watch-latency
 * @param timeout deadline of each request, and the longest wait for watch events at the end
 */
public record LoadSpec(
        List<Endpoint> endpoints,
        Workload workload,
        int clients,
        int conns,
        long total,
        Duration duration,
        Duration warmup,
        int valueSize,
        int keySpace,
        String keyPrefix,
        Consistency consistency,
        int watchers,
        Duration timeout) {

    public LoadSpec {
        endpoints = List.copyOf(endpoints);
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("--endpoints: at least one endpoint is needed");
        }
        requireAtLeast("--clients", clients, 1);
        requireAtLeast("--conns", conns, 1);
        requireAtLeast("--total", total, 0);
        requireAtLeast("--value-size", valueSize, 0);
        requireAtLeast("--key-space", keySpace, 1);
        requireAtLeast("--watchers", watchers, 1);
        if (duration.isNegative()) {
            throw new IllegalArgumentException("--duration must not be negative, got " + Durations.format(duration));
        }
        if (warmup.isNegative()) {
            throw new IllegalArgumentException("--warmup must not be negative, got " + Durations.format(warmup));
        }
        if (total == 0 && duration.isZero()) {
            throw new IllegalArgumentException("give --total or --duration (or both: whichever comes first ends the run)");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("--timeout must be positive, got " + Durations.format(timeout));
        }
        if (keyPrefix.isEmpty()) {
            throw new IllegalArgumentException("--key-prefix must not be empty");
        }
    }

    private static void requireAtLeast(String flag, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(flag + " must be at least " + min + ", got " + value);
        }
    }

    /** Defaults as the command line has them, for the given endpoints and workload. */
    public static LoadSpec defaults(List<Endpoint> endpoints, Workload workload) {
        return new LoadSpec(endpoints, workload, 1, endpoints.size(), 0, Duration.ofSeconds(10), Duration.ZERO,
                256, 10_000, "bench/", Consistency.LINEARIZABLE, 16, Duration.ofSeconds(10));
    }

    public LoadSpec withEndpoints(List<Endpoint> value) {
        return new LoadSpec(value, workload, clients, conns, total, duration, warmup, valueSize, keySpace,
                keyPrefix, consistency, watchers, timeout);
    }

    public LoadSpec withWorkload(Workload value) {
        return new LoadSpec(endpoints, value, clients, conns, total, duration, warmup, valueSize, keySpace,
                keyPrefix, consistency, watchers, timeout);
    }

    public LoadSpec withClients(int value) {
        return new LoadSpec(endpoints, workload, value, conns, total, duration, warmup, valueSize, keySpace,
                keyPrefix, consistency, watchers, timeout);
    }

    public LoadSpec withConns(int value) {
        return new LoadSpec(endpoints, workload, clients, value, total, duration, warmup, valueSize, keySpace,
                keyPrefix, consistency, watchers, timeout);
    }

    /** Sets both limits; the run ends at whichever is reached first. */
    public LoadSpec withLimits(long totalValue, Duration durationValue) {
        return new LoadSpec(endpoints, workload, clients, conns, totalValue, durationValue, warmup, valueSize,
                keySpace, keyPrefix, consistency, watchers, timeout);
    }

    public LoadSpec withWarmup(Duration value) {
        return new LoadSpec(endpoints, workload, clients, conns, total, duration, value, valueSize, keySpace,
                keyPrefix, consistency, watchers, timeout);
    }

    public LoadSpec withKeys(int keySpaceValue, String keyPrefixValue) {
        return new LoadSpec(endpoints, workload, clients, conns, total, duration, warmup, valueSize, keySpaceValue,
                keyPrefixValue, consistency, watchers, timeout);
    }

    public LoadSpec withConsistency(Consistency value) {
        return new LoadSpec(endpoints, workload, clients, conns, total, duration, warmup, valueSize, keySpace,
                keyPrefix, value, watchers, timeout);
    }

    public LoadSpec withWatchers(int value) {
        return new LoadSpec(endpoints, workload, clients, conns, total, duration, warmup, valueSize, keySpace,
                keyPrefix, consistency, value, timeout);
    }

    public LoadSpec withValueSize(int value) {
        return new LoadSpec(endpoints, workload, clients, conns, total, duration, warmup, value, keySpace,
                keyPrefix, consistency, watchers, timeout);
    }

    public LoadSpec withTimeout(Duration value) {
        return new LoadSpec(endpoints, workload, clients, conns, total, duration, warmup, valueSize, keySpace,
                keyPrefix, consistency, watchers, value);
    }
}
