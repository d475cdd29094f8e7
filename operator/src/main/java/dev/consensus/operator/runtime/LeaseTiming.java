package dev.consensus.operator.runtime;

import java.time.Duration;

/**
 * How operator replicas hold the leader Lease. The holder must renew within {@code renewDeadline} or
 * give up, and that must come before {@code duration} runs out, when another replica may take the
 * Lease: otherwise two replicas could reconcile at once.
 *
 * @param duration how long a Lease stays held without a renewal
 * @param renewDeadline how long the holder keeps trying to renew before it stops leading (and exits)
 * @param retryPeriod how often replicas try to acquire or renew
 */
public record LeaseTiming(Duration duration, Duration renewDeadline, Duration retryPeriod) {

  /** java-operator-sdk's and client-go's defaults. */
  public static LeaseTiming defaults() {
    return new LeaseTiming(Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2));
  }

  public LeaseTiming {
    if (retryPeriod.isNegative() || retryPeriod.isZero()) {
      throw new IllegalArgumentException("--lease-retry-period must be positive, got " + retryPeriod);
    }
    if (renewDeadline.compareTo(retryPeriod) <= 0) {
      throw new IllegalArgumentException("--lease-renew-deadline (" + renewDeadline
          + ") must be longer than --lease-retry-period (" + retryPeriod + ")");
    }
    if (duration.compareTo(renewDeadline) <= 0) {
      throw new IllegalArgumentException("--lease-duration (" + duration + ") must be longer than"
          + " --lease-renew-deadline (" + renewDeadline + ")");
    }
  }
}
