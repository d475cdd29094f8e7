package dev.consensus.operator.runtime;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The operator's Prometheus metrics, kept by hand in the text exposition format: the reconciles, the
 * reconciles that failed, and each kind of membership step with how long its call took.
 */
public final class OperatorMetrics {

  private final AtomicLong reconciles = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private final Map<String, long[]> operations = new TreeMap<>();

  public void reconciled() {
    reconciles.incrementAndGet();
  }

  public void reconcileFailed() {
    errors.incrementAndGet();
  }

  /** One executed step of kind {@code step} (AddLearner, Promote, RemoveMember...), and its duration. */
  public synchronized void membershipOperation(String step, Duration took) {
    long[] countAndNanos = operations.computeIfAbsent(step, k -> new long[2]);
    countAndNanos[0]++;
    countAndNanos[1] += took.toNanos();
  }

  public long reconciles() {
    return reconciles.get();
  }

  /** The metrics in Prometheus' text format. */
  public synchronized String scrape() {
    StringBuilder out = new StringBuilder();
    out.append("# HELP consensus_operator_reconciles_total Reconciles started.\n");
    out.append("# TYPE consensus_operator_reconciles_total counter\n");
    out.append("consensus_operator_reconciles_total ").append(reconciles.get()).append('\n');
    out.append("# HELP consensus_operator_reconcile_errors_total Reconciles whose step failed.\n");
    out.append("# TYPE consensus_operator_reconcile_errors_total counter\n");
    out.append("consensus_operator_reconcile_errors_total ").append(errors.get()).append('\n');
    out.append("# HELP consensus_operator_membership_operations_total Steps executed, by kind.\n");
    out.append("# TYPE consensus_operator_membership_operations_total counter\n");
    operations.forEach((step, v) -> out.append("consensus_operator_membership_operations_total{step=\"")
        .append(step).append("\"} ").append(v[0]).append('\n'));
    out.append("# HELP consensus_operator_membership_operation_duration_seconds Time spent in steps, by kind.\n");
    out.append("# TYPE consensus_operator_membership_operation_duration_seconds summary\n");
    operations.forEach((step, v) -> {
      out.append("consensus_operator_membership_operation_duration_seconds_count{step=\"").append(step)
          .append("\"} ").append(v[0]).append('\n');
      out.append("consensus_operator_membership_operation_duration_seconds_sum{step=\"").append(step)
          .append("\"} ").append(String.format(java.util.Locale.ROOT, "%.6f", v[1] / 1e9)).append('\n');
    });
    return out.toString();
  }
}
