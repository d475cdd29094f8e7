package dev.consensus.store.mvcc;

/**
 * The limits of one store, built once (later from etcd's flags) and validated here. Defaults are
 * etcd 3.5's.
 *
 * @param maxTxnOps               the most operations in each of a txn's compare, success and
 *                                failure lists ({@code --max-txn-ops}, 128); checked before Raft
 * @param minLeaseTtlSeconds      a lease granted a shorter TTL gets this one instead; etcd derives
 *                                it as ceil(1.5 election timeouts), 2 s with its default timings
 * @param maxLeaseTtlSeconds      a grant asking for more fails with "too large lease TTL"
 * @param watchBatchMaxRevisions  the most revisions one watch response carries when a watcher
 *                                catches up on history (etcd's watchBatchMaxRevs, 1000); the
 *                                events of one revision are never split
 * @param compactionBatchLimit    revisions deleted per RocksDB write while compacting
 *                                ({@code --experimental-compaction-batch-limit}, 1000)
 * @param compactionWatchWaitMillis how long a compaction waits for caught-up watchers that lag
 *                                behind it to read their events first (1000). etcd pushes events
 *                                to such watchers as it applies writes, so a compaction never
 *                                cancels them; ours pull history on their own threads, and this
 *                                wait gives the same result unless a stream's listener is stuck
 *                                for longer, which etcd also treats as a slow watcher
 */
public record MvccConfig(
        int maxTxnOps,
        long minLeaseTtlSeconds,
        long maxLeaseTtlSeconds,
        int watchBatchMaxRevisions,
        int compactionBatchLimit,
        long compactionWatchWaitMillis) {

    /** etcd's hard ceiling on a lease TTL (lease.MaxLeaseTTL). */
    public static final long ETCD_MAX_LEASE_TTL_SECONDS = 9_000_000_000L;

    public MvccConfig {
        require(maxTxnOps >= 1, "max txn ops must be at least 1, got " + maxTxnOps);
        require(minLeaseTtlSeconds >= 1, "min lease TTL must be at least 1 second, got " + minLeaseTtlSeconds);
        require(maxLeaseTtlSeconds >= minLeaseTtlSeconds, "max lease TTL (" + maxLeaseTtlSeconds
                + " s) must not be below the min lease TTL (" + minLeaseTtlSeconds + " s)");
        require(watchBatchMaxRevisions >= 1, "watch batch max revisions must be at least 1, got "
                + watchBatchMaxRevisions);
        require(compactionBatchLimit >= 1, "compaction batch limit must be at least 1, got "
                + compactionBatchLimit);
        require(compactionWatchWaitMillis >= 0, "compaction watch wait must not be negative, got "
                + compactionWatchWaitMillis + " ms");
    }

    public static MvccConfig defaults() {
        return new MvccConfig(128, 2, ETCD_MAX_LEASE_TTL_SECONDS, 1000, 1000, 1000);
    }

    public MvccConfig withMaxTxnOps(int ops) {
        return new MvccConfig(ops, minLeaseTtlSeconds, maxLeaseTtlSeconds, watchBatchMaxRevisions,
                compactionBatchLimit, compactionWatchWaitMillis);
    }

    public MvccConfig withMinLeaseTtlSeconds(long seconds) {
        return new MvccConfig(maxTxnOps, seconds, maxLeaseTtlSeconds, watchBatchMaxRevisions,
                compactionBatchLimit, compactionWatchWaitMillis);
    }

    public MvccConfig withWatchBatchMaxRevisions(int revisions) {
        return new MvccConfig(maxTxnOps, minLeaseTtlSeconds, maxLeaseTtlSeconds, revisions,
                compactionBatchLimit, compactionWatchWaitMillis);
    }

    public MvccConfig withCompactionBatchLimit(int limit) {
        return new MvccConfig(maxTxnOps, minLeaseTtlSeconds, maxLeaseTtlSeconds, watchBatchMaxRevisions, limit,
                compactionWatchWaitMillis);
    }

    public MvccConfig withCompactionWatchWaitMillis(long millis) {
        return new MvccConfig(maxTxnOps, minLeaseTtlSeconds, maxLeaseTtlSeconds, watchBatchMaxRevisions,
                compactionBatchLimit, millis);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
