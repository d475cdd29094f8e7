package dev.consensus.faults.harness;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One run's bounds and shape. Every limit is here, so a run is bounded in time and in operations.
 *
 * @param duration      how long faults are applied and clients run (then heal, final reads, check)
 * @param maxOperations client operations across all workloads; the run stops issuing at this many
 * @param keys          hot keys of the register workload
 * @param clients       register clients, each one sequential process
 * @param watchers      watchers on the register keys
 * @param leaseClients  clients of the lease workload
 * @param opTimeout     deadline of one operation; beyond it the operation is indeterminate
 * @param serverFlags   extra store-node flags for every member (the planted bug's flag, say)
 * @param outRoot       the run writes to {@code outRoot/<scenario>-<seed>/}
 */
public record RunOptions(Scenario scenario, long seed, Duration duration, long maxOperations, int keys,
                         int clients, int watchers, int leaseClients, Duration opTimeout,
                         List<String> serverFlags, Path outRoot) {

    public RunOptions {
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("a run needs a positive duration");
        }
        if (keys < 1 || clients < 1 || maxOperations < 1) {
            throw new IllegalArgumentException("a run needs at least one key, one client and one operation");
        }
        serverFlags = List.copyOf(serverFlags);
    }

    /** The defaults for a scenario: 3 members' worth of clients, sized for two shared cores. */
    public static RunOptions of(Scenario scenario, long seed, Duration duration, Path outRoot) {
        return new RunOptions(scenario, seed, duration, 200_000, 4, 6, 2, 2, Duration.ofSeconds(2), List.of(),
                outRoot);
    }

    public RunOptions withServerFlags(List<String> flags) {
        return new RunOptions(scenario, seed, duration, maxOperations, keys, clients, watchers, leaseClients,
                opTimeout, flags, outRoot);
    }

    public RunOptions withMaxOperations(long max) {
        return new RunOptions(scenario, seed, duration, max, keys, clients, watchers, leaseClients, opTimeout,
                serverFlags, outRoot);
    }

    public Path runDir() {
        return outRoot.resolve(scenario.id() + "-" + seed);
    }
}
