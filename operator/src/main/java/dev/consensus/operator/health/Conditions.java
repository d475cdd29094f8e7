package dev.consensus.operator.health;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Kubernetes' condition rules: {@code lastTransitionTime} moves only when a condition's status
 * changes, so a reader can tell how long the cluster has been in its state; a reason or message
 * change alone keeps the time.
 */
public final class Conditions {

  public static final String AVAILABLE = "Available";
  public static final String PROGRESSING = "Progressing";
  public static final String DEGRADED = "Degraded";

  private Conditions() {
  }

  /** A condition without times, as computed from one observation. */
  public static Condition of(String type, boolean status, String reason, String message) {
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status ? "True" : "False")
        .withReason(reason)
        .withMessage(message)
        .build();
  }

  /** The computed conditions, each stamped with the generation and with the previous transition time when its status did not change. */
  public static List<Condition> merge(List<Condition> previous, List<Condition> computed, Long generation,
      Instant now) {
    String stamp = now.truncatedTo(ChronoUnit.SECONDS).toString();
    return computed.stream().map(c -> {
      String since = previous.stream()
          .filter(p -> c.getType().equals(p.getType()) && c.getStatus().equals(p.getStatus()))
          .map(Condition::getLastTransitionTime)
          .filter(t -> t != null)
          .findFirst().orElse(stamp);
      return new ConditionBuilder(c).withLastTransitionTime(since).withObservedGeneration(generation).build();
    }).toList();
  }
}
