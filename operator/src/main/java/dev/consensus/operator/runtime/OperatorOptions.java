package dev.consensus.operator.runtime;

import dev.consensus.operator.reconcile.ReconcilerConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The operator's command line, {@code --name=value} flags, each with a default; an unknown flag or a
 * bad value is an error that names the flag.
 *
 * @param probePort the HTTP port of /healthz, /readyz and /metrics
 * @param leaseName the Lease several operator replicas compete for
 * @param leaseNamespace its namespace; null means the operator's own
 * @param leaderElection whether to compete for the Lease at all; off, the process reconciles at once
 *     (one replica only: the Helm chart refuses more)
 * @param leaseTiming how long the Lease is held, and how often it is renewed
 * @param watchNamespaces the namespaces whose resources it manages; empty means every namespace
 */
public record OperatorOptions(int probePort, String leaseName, String leaseNamespace, boolean leaderElection,
    LeaseTiming leaseTiming, Set<String> watchNamespaces, ReconcilerConfig reconciler) {

  private static final Set<String> FLAGS = Set.of("probe-port", "lease-name", "lease-namespace", "max-learner-lag",
      "caught-up-hold", "catch-up-deadline", "retry-after-rollback", "requeue", "call-timeout", "leader-election", "lease-duration", "lease-renew-deadline", "lease-retry-period",
      "watch-namespaces");

  public static OperatorOptions parse(List<String> args) {
    Map<String, String> values = new HashMap<>();
    for (String arg : args) {
      if (!arg.startsWith("--") || !arg.contains("=")) {
        throw new IllegalArgumentException("expected --flag=value, got '" + arg + "'");
      }
      String name = arg.substring(2, arg.indexOf('='));
      if (!FLAGS.contains(name)) {
        throw new IllegalArgumentException("unknown flag --" + name + "; known: " + FLAGS);
      }
      values.put(name, arg.substring(arg.indexOf('=') + 1));
    }
    ReconcilerConfig d = ReconcilerConfig.defaults();
    ReconcilerConfig reconciler = new ReconcilerConfig(
        longValue(values, "max-learner-lag", d.maxLearnerLag()),
        duration(values, "caught-up-hold", d.caughtUpHold()),
        duration(values, "catch-up-deadline", d.catchUpDeadline()),
        duration(values, "retry-after-rollback", d.retryAfterRollback()),
        duration(values, "requeue", d.requeue()),
        duration(values, "call-timeout", d.callTimeout()));
    return new OperatorOptions((int) longValue(values, "probe-port", 8080),
        values.getOrDefault("lease-name", "consensus-operator"), values.get("lease-namespace"),
        bool(values, "leader-election", true), leaseTiming(values), namespaces(values.get("watch-namespaces")),
        reconciler);
  }

  private static LeaseTiming leaseTiming(Map<String, String> values) {
    LeaseTiming d = LeaseTiming.defaults();
    return new LeaseTiming(duration(values, "lease-duration", d.duration()),
        duration(values, "lease-renew-deadline", d.renewDeadline()),
        duration(values, "lease-retry-period", d.retryPeriod()));
  }

  private static boolean bool(Map<String, String> values, String flag, boolean fallback) {
    String v = values.get(flag);
    if (v == null) {
      return fallback;
    }
    if (!v.equals("true") && !v.equals("false")) {
      throw new IllegalArgumentException("--" + flag + ": expected true or false, got '" + v + "'");
    }
    return Boolean.parseBoolean(v);
  }

  /** A comma-separated list; empty or absent means every namespace. */
  private static Set<String> namespaces(String v) {
    if (v == null || v.isBlank()) {
      return Set.of();
    }
    Set<String> names = new TreeSet<>();
    for (String name : v.split(",")) {
      if (!name.strip().matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
        throw new IllegalArgumentException("--watch-namespaces: not a namespace name: '" + name + "'");
      }
      names.add(name.strip());
    }
    return Set.copyOf(names);
  }

  private static long longValue(Map<String, String> values, String flag, long fallback) {
    String v = values.get(flag);
    try {
      return v == null ? fallback : Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + flag + ": not a number: '" + v + "'", e);
    }
  }

  /** Durations as ISO-8601 (PT10S) or a number of seconds. */
  private static Duration duration(Map<String, String> values, String flag, Duration fallback) {
    String v = values.get(flag);
    if (v == null) {
      return fallback;
    }
    try {
      return v.chars().allMatch(Character::isDigit) ? Duration.ofSeconds(Long.parseLong(v)) : Duration.parse(v);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("--" + flag + ": not a duration (seconds, or ISO-8601 like PT30S): '" + v
          + "'", e);
    }
  }
}
