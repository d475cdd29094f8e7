package dev.consensus.crd;

import io.fabric8.kubernetes.api.model.Quantity;

/**
 * The defaults of optional spec fields, in one place. The schema carries the same values
 * ({@code @Default}), so an API server fills them in; code reading a resource that did not go
 * through one (tests, the mock server) uses these.
 */
public final class Defaults {

  public static final int MIN_REPLICAS = 1;
  public static final int MAX_REPLICAS = 7;
  public static final int MAX_NAME_LENGTH = 52;

  public static final int HEARTBEAT_INTERVAL_MS = 100;
  public static final int ELECTION_TIMEOUT_MS = 1000;
  /** etcd refuses an election timeout of 50000 ms or more. */
  public static final int MAX_ELECTION_TIMEOUT_MS = 50_000;
  public static final long SNAPSHOT_COUNT = 100_000;
  public static final AutoCompactionMode AUTO_COMPACTION_MODE = AutoCompactionMode.PERIODIC;
  public static final String AUTO_COMPACTION_RETENTION = "0";
  public static final VolumeDeletionPolicy DELETION_POLICY = VolumeDeletionPolicy.Retain;

  private Defaults() {
  }

  /** The store options with every unset field at its default; never null. */
  public static StoreOptions storeOptions(StoreOptions options) {
    StoreOptions o = options == null ? new StoreOptions(null, null, null, null, null, null) : options;
    return new StoreOptions(
        o.heartbeatIntervalMs() == null ? HEARTBEAT_INTERVAL_MS : o.heartbeatIntervalMs(),
        o.electionTimeoutMs() == null ? ELECTION_TIMEOUT_MS : o.electionTimeoutMs(),
        o.snapshotCount() == null ? SNAPSHOT_COUNT : o.snapshotCount(),
        o.quotaBackendBytes(),
        o.autoCompactionMode() == null ? AUTO_COMPACTION_MODE : o.autoCompactionMode(),
        o.autoCompactionRetention() == null ? AUTO_COMPACTION_RETENTION : o.autoCompactionRetention());
  }

  /** The deletion policy of {@code storage}, defaulted. */
  public static VolumeDeletionPolicy deletionPolicy(StorageSpec storage) {
    return storage == null || storage.deletionPolicy() == null ? DELETION_POLICY : storage.deletionPolicy();
  }

  /** A quantity's size in bytes, or null when it does not parse. */
  public static java.math.BigDecimal bytesOrNull(Quantity quantity) {
    if (quantity == null) {
      return null;
    }
    try {
      return Quantity.getAmountInBytes(quantity);
    } catch (RuntimeException e) {
      return null;
    }
  }
}
