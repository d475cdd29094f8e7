package dev.consensus.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.api.model.Quantity;

/**
 * The store's own settings, each one of etcd's flags with etcd's default. Changing one restarts the
 * members one at a time. Relations between them (election timeout at least five heartbeats, the
 * retention's form in each compaction mode) are checked by the operator, which reports a violation
 * in status and applies nothing.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StoreOptions(
    @JsonPropertyDescription("--heartbeat-interval: milliseconds between the leader's heartbeats.")
    @Min(1) @Max(10000) @Default("100")
    Integer heartbeatIntervalMs,

    @JsonPropertyDescription("--election-timeout: milliseconds a follower waits for the leader before"
        + " it campaigns. At least 5 heartbeat intervals, below 50000.")
    @Min(5) @Max(49999) @Default("1000")
    Integer electionTimeoutMs,

    @JsonPropertyDescription("--snapshot-count: committed entries between two snapshots.")
    @Min(1) @Default("100000")
    Long snapshotCount,

    @JsonPropertyDescription("--quota-backend-bytes: the database size that raises the NOSPACE alarm,"
        + " a quantity (e.g. 2Gi). Unset: 2 GiB, etcd's default. Must fit on the volume.")
    Quantity quotaBackendBytes,

    @JsonPropertyDescription("--auto-compaction-mode: periodic (retention is a duration) or revision"
        + " (retention is a revision count).")
    @Default("periodic")
    AutoCompactionMode autoCompactionMode,

    @JsonPropertyDescription("--auto-compaction-retention: in periodic mode hours ('1') or a Go duration"
        + " ('30m', '1h30m'); in revision mode a number of revisions. '0' turns compaction off.")
    @Default("0")
    String autoCompactionRetention) {
}
