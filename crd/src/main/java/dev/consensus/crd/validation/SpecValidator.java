package dev.consensus.crd.validation;

import dev.consensus.crd.ConsensusCluster;
import dev.consensus.crd.ConsensusClusterSpec;
import dev.consensus.crd.Defaults;
import dev.consensus.crd.Patterns;
import dev.consensus.crd.PodOverrides;
import dev.consensus.crd.StorageSpec;
import dev.consensus.crd.TlsSpec;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks a resource before the operator acts on it, and reports every violation at once. It
 * repeats the schema's own checks (a resource may come from an API server that did not apply the
 * schema, such as a mock server, or from before a CRD upgrade) and adds the rules the schema cannot
 * express: relations between fields, quantities' values, label syntax. A resource with any violation
 * is not applied at all; the violations go to status.
 *
 * <p>Pure: no I/O, no clock; the same resource always gives the same list.
 */
public final class SpecValidator {

  private static final Pattern NAME = Pattern.compile("^[a-z]([-a-z0-9]*[a-z0-9])?$");
  private static final Pattern IMAGE_REPOSITORY = Pattern.compile(Patterns.IMAGE_REPOSITORY);
  private static final Pattern IMAGE_TAG = Pattern.compile(Patterns.IMAGE_TAG);
  private static final Pattern DNS_SUBDOMAIN = Pattern.compile(Patterns.DNS_SUBDOMAIN);
  private static final Pattern LABEL_NAME = Pattern.compile("^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$");
  private static final Pattern LABEL_VALUE = LABEL_NAME;
  /** The label prefix the operator's own labels use; the pod's selector depends on them. */
  public static final String RESERVED_LABEL_PREFIX = "app.kubernetes.io/";

  private SpecValidator() {
  }

  /** Every violation in the resource's name and spec; empty when the operator may apply it. */
  public static List<SpecViolation> validate(ConsensusCluster cluster) {
    List<SpecViolation> out = new ArrayList<>();
    String name = cluster.getMetadata() == null ? null : cluster.getMetadata().getName();
    if (name == null || name.length() > Defaults.MAX_NAME_LENGTH || !NAME.matcher(name).matches()) {
      out.add(new SpecViolation("metadata.name", "must be a DNS-1035 label of at most "
          + Defaults.MAX_NAME_LENGTH + " characters (lower-case letters, digits and '-', starting with a"
          + " letter), got \"" + name + "\""));
    }
    ConsensusClusterSpec spec = cluster.getSpec();
    if (spec == null) {
      out.add(new SpecViolation("spec", "Required value"));
      return out;
    }
    replicas(spec, out);
    image(spec, out);
    storage(spec.storage(), out);
    StoreOptionsRules.check(spec.store(), spec.storage(), out);
    tls(spec.tls(), out);
    pod(spec.pod(), out);
    return List.copyOf(out);
  }

  private static void replicas(ConsensusClusterSpec spec, List<SpecViolation> out) {
    Integer replicas = spec.replicas();
    if (replicas == null) {
      out.add(new SpecViolation("spec.replicas", "Required value"));
    } else if (replicas < Defaults.MIN_REPLICAS || replicas > Defaults.MAX_REPLICAS) {
      out.add(new SpecViolation("spec.replicas", "must be between " + Defaults.MIN_REPLICAS + " and "
          + Defaults.MAX_REPLICAS + ", got " + replicas));
    }
  }

  private static void image(ConsensusClusterSpec spec, List<SpecViolation> out) {
    if (spec.image() != null && !IMAGE_REPOSITORY.matcher(spec.image()).matches()) {
      out.add(new SpecViolation("spec.image", "must be an image repository without tag or digest (put the"
          + " tag in spec.version), got \"" + spec.image() + "\""));
    }
    if (spec.version() != null && !IMAGE_TAG.matcher(spec.version()).matches()) {
      out.add(new SpecViolation("spec.version", "must be an image tag (letters, digits, '_', '.', '-', at"
          + " most 128, not starting with '.' or '-'), got \"" + spec.version() + "\""));
    }
    if (spec.command() != null
        && (spec.command().isEmpty() || spec.command().stream().anyMatch(s -> s == null || s.isBlank()))) {
      out.add(new SpecViolation("spec.command", "must name an executable: a non-empty list of non-empty"
          + " strings, or unset to run the image's entrypoint"));
    }
  }

  private static void storage(StorageSpec storage, List<SpecViolation> out) {
    if (storage == null) {
      out.add(new SpecViolation("spec.storage", "Required value"));
      return;
    }
    if (storage.size() == null) {
      out.add(new SpecViolation("spec.storage.size", "Required value"));
      return;
    }
    BigDecimal bytes = Defaults.bytesOrNull(storage.size());
    if (bytes == null) {
      out.add(new SpecViolation("spec.storage.size", "must be a quantity such as 8Gi, got \""
          + storage.size() + "\""));
    } else if (bytes.signum() <= 0) {
      out.add(new SpecViolation("spec.storage.size", "must be greater than zero, got " + storage.size()));
    }
    if (storage.storageClassName() != null && !DNS_SUBDOMAIN.matcher(storage.storageClassName()).matches()) {
      out.add(new SpecViolation("spec.storage.storageClassName", "must be a StorageClass name, got \""
          + storage.storageClassName() + "\""));
    }
  }

  private static void tls(TlsSpec tls, List<SpecViolation> out) {
    if (tls == null) {
      return;
    }
    if (tls.clientSecretName() == null && tls.peerSecretName() == null) {
      out.add(new SpecViolation("spec.tls", "tls needs clientSecretName, peerSecretName or both; remove tls"
          + " for plain HTTP"));
    }
    secretName("spec.tls.clientSecretName", tls.clientSecretName(), out);
    secretName("spec.tls.peerSecretName", tls.peerSecretName(), out);
  }

  private static void secretName(String field, String name, List<SpecViolation> out) {
    if (name != null && (name.length() > 253 || !DNS_SUBDOMAIN.matcher(name).matches())) {
      out.add(new SpecViolation(field, "must be a Secret name (a DNS-1123 subdomain), got \"" + name + "\""));
    }
  }

  private static void pod(PodOverrides pod, List<SpecViolation> out) {
    if (pod == null) {
      return;
    }
    labels("spec.pod.labels", pod.labels(), true, out);
    labels("spec.pod.nodeSelector", pod.nodeSelector(), false, out);
    if (pod.priorityClassName() != null && !DNS_SUBDOMAIN.matcher(pod.priorityClassName()).matches()) {
      out.add(new SpecViolation("spec.pod.priorityClassName", "must be a PriorityClass name, got \""
          + pod.priorityClassName() + "\""));
    }
  }

  private static void labels(String field, Map<String, String> labels, boolean reserved, List<SpecViolation> out) {
    if (labels == null) {
      return;
    }
    labels.forEach((key, value) -> {
      if (reserved && key.startsWith(RESERVED_LABEL_PREFIX)) {
        out.add(new SpecViolation(field + "[" + key + "]", "labels under " + RESERVED_LABEL_PREFIX
            + " are set by the operator and select the members' pods; use another key"));
      } else if (!labelKey(key)) {
        out.add(new SpecViolation(field + "[" + key + "]", "must be a label key: an optional DNS subdomain"
            + " prefix and '/', then a name of at most 63 letters, digits, '-', '_', '.'"));
      }
      if (value == null || value.length() > 63 || !LABEL_VALUE.matcher(value).matches()) {
        out.add(new SpecViolation(field + "[" + key + "]", "must have a label value: at most 63 letters,"
            + " digits, '-', '_', '.', starting and ending with a letter or digit, got \"" + value + "\""));
      }
    });
  }

  private static boolean labelKey(String key) {
    int slash = key.indexOf('/');
    String prefix = slash < 0 ? null : key.substring(0, slash);
    String name = slash < 0 ? key : key.substring(slash + 1);
    boolean prefixOk = prefix == null
        || (!prefix.isEmpty() && prefix.length() <= 253 && DNS_SUBDOMAIN.matcher(prefix).matches());
    return prefixOk && !name.isEmpty() && name.length() <= 63 && LABEL_NAME.matcher(name).matches();
  }
}
