package dev.consensus.crd.validation;

import dev.consensus.crd.AutoCompactionMode;
import dev.consensus.crd.Defaults;
import dev.consensus.crd.StorageSpec;
import dev.consensus.crd.StoreOptions;
import java.math.BigDecimal;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The store options' rules, in etcd's words where etcd has them, so that what the operator reports
 * is what a member would print if it were started with these flags.
 */
final class StoreOptionsRules {

  private static final Pattern WHOLE_NUMBER = Pattern.compile("^[0-9]+$");
  /** A Go duration, as etcd's periodic retention takes it: 30m, 1h30m, 1.5h. */
  private static final Pattern GO_DURATION = Pattern.compile("^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$");

  private StoreOptionsRules() {
  }

  static void check(StoreOptions given, StorageSpec storage, List<SpecViolation> out) {
    StoreOptions o = Defaults.storeOptions(given);
    int heartbeat = o.heartbeatIntervalMs();
    int election = o.electionTimeoutMs();
    if (heartbeat <= 0) {
      out.add(violation("heartbeatIntervalMs", "--heartbeat-interval must be >0 (set to " + heartbeat + "ms)"));
    }
    if (election <= 0) {
      out.add(violation("electionTimeoutMs", "--election-timeout must be >0 (set to " + election + "ms)"));
    } else if (5L * heartbeat > election) {
      out.add(violation("electionTimeoutMs", "--election-timeout[" + election
          + "ms] should be at least as 5 times as --heartbeat-interval[" + heartbeat + "ms]"));
    } else if (election >= Defaults.MAX_ELECTION_TIMEOUT_MS) {
      out.add(violation("electionTimeoutMs", "--election-timeout[" + election
          + "ms] is too long, and should be set less than " + Defaults.MAX_ELECTION_TIMEOUT_MS + "ms"));
    }
    if (o.snapshotCount() < 1) {
      out.add(violation("snapshotCount", "--snapshot-count must be at least 1 (set to " + o.snapshotCount() + ")"));
    }
    quota(o, storage, out);
    retention(o, out);
  }

  private static void quota(StoreOptions o, StorageSpec storage, List<SpecViolation> out) {
    if (o.quotaBackendBytes() == null) {
      return;
    }
    BigDecimal quota = Defaults.bytesOrNull(o.quotaBackendBytes());
    if (quota == null) {
      out.add(violation("quotaBackendBytes", "must be a quantity such as 2Gi, got \"" + o.quotaBackendBytes() + "\""));
      return;
    }
    if (quota.signum() < 0) {
      out.add(violation("quotaBackendBytes", "--quota-backend-bytes must not be negative (set to "
          + o.quotaBackendBytes() + ")"));
      return;
    }
    BigDecimal volume = storage == null ? null : Defaults.bytesOrNull(storage.size());
    if (volume != null && quota.compareTo(volume) > 0) {
      out.add(violation("quotaBackendBytes", "--quota-backend-bytes (" + o.quotaBackendBytes()
          + ") is larger than the volume (spec.storage.size " + storage.size() + "): the disk would fill"
          + " before the NOSPACE alarm could protect it"));
    }
  }

  private static void retention(StoreOptions o, List<SpecViolation> out) {
    String retention = o.autoCompactionRetention();
    boolean periodic = o.autoCompactionMode() == AutoCompactionMode.PERIODIC;
    boolean valid = WHOLE_NUMBER.matcher(retention).matches() || (periodic && GO_DURATION.matcher(retention).matches());
    if (!valid) {
      out.add(violation("autoCompactionRetention", "invalid --auto-compaction-retention \"" + retention
          + "\" for mode " + o.autoCompactionMode().flagValue() + " (a whole number"
          + (periodic ? " of hours, or a duration such as 30m or 1h30m)" : " of revisions)")));
    }
  }

  private static SpecViolation violation(String option, String message) {
    return new SpecViolation("spec.store." + option, message);
  }
}
