package dev.consensus.bench.cluster;

import dev.consensus.bench.load.LoadSpec;

/**
 * One row of the comparison: a label and the load to run; its endpoints are replaced by the
 * cluster's own when it runs.
 */
public record PlannedLoad(String label, LoadSpec spec) {
}
