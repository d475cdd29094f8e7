package dev.consensus.operator.model;

import dev.consensus.crd.ConsensusCluster;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The app.kubernetes.io labels on every object. The selector uses only name and instance, which
 * never change: a StatefulSet's selector is immutable, so the version cannot be part of it.
 */
public final class Labels {

  public static final String NAME = "app.kubernetes.io/name";
  public static final String INSTANCE = "app.kubernetes.io/instance";
  public static final String COMPONENT = "app.kubernetes.io/component";
  public static final String PART_OF = "app.kubernetes.io/part-of";
  public static final String VERSION = "app.kubernetes.io/version";
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";

  public static final String APP_NAME = "consensus-store";
  public static final String MANAGER = "consensus-operator";

  private Labels() {
  }

  /** The labels that select this cluster's member pods. */
  public static Map<String, String> selector(ConsensusCluster cluster) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(NAME, APP_NAME);
    labels.put(INSTANCE, cluster.getMetadata().getName());
    return labels;
  }

  /** The selector in the string form the scale subresource wants (status.selector). */
  public static String selectorString(ConsensusCluster cluster) {
    return selector(cluster).entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(","));
  }

  /** Every label the operator puts on an object of this cluster. */
  public static Map<String, String> all(ConsensusCluster cluster) {
    Map<String, String> labels = selector(cluster);
    labels.put(COMPONENT, "store");
    labels.put(PART_OF, "consensus");
    labels.put(VERSION, labelValue(StoreImage.tag(cluster.getSpec())));
    labels.put(MANAGED_BY, MANAGER);
    return labels;
  }

  /** A tag may be 128 characters, a label value 63: cut, then drop what may not end a label value. */
  static String labelValue(String text) {
    String cut = text.length() > 63 ? text.substring(0, 63) : text;
    int end = cut.length();
    while (end > 0 && !Character.isLetterOrDigit(cut.charAt(end - 1))) {
      end--;
    }
    return cut.substring(0, end);
  }
}
