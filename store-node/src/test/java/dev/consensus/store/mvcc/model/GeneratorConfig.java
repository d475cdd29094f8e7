package dev.consensus.store.mvcc.model;

/**
 * What a generated sequence may contain, which differs by target.
 *
 * @param minTtlSeconds  the smallest TTL a grant asks for; against etcd it stays well above a
 *                       run's length, since a real etcd expires leases on its clock
 * @param maxTtlSeconds  the largest (ordinary) TTL a grant asks for
 * @param reopens        whether to close and reopen the store at random points (not for etcd)
 * @param maxOpenWatches the most watches open at once
 */
public record GeneratorConfig(long minTtlSeconds, long maxTtlSeconds, boolean reopens, int maxOpenWatches) {

    /** For the store against the model: TTLs down to below the minimum, and restarts. */
    public static GeneratorConfig forStore() {
        return new GeneratorConfig(-2, 600, true, 4);
    }

    /** For a real etcd: no lease may expire during a run, and etcd is not restarted. */
    public static GeneratorConfig forEtcd() {
        return new GeneratorConfig(300, 3600, false, 4);
    }
}
