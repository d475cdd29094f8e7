package dev.consensus.operator.model;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Brings an owned object found in the API server back to its desired form, touching only what the
 * operator owns: the selector, the ports, the type, the PDB's budget, the operator's labels and its
 * owner reference. Everything else is kept as found: what the API server assigns (clusterIP, a
 * nodePort of a port that did not change, resourceVersion) and what others add (their labels and
 * annotations), so that a repair never fights another controller over fields that are not ours.
 */
public final class Drift {

  /**
   * A repaired object and the fields that had drifted, for the log and the event.
   *
   * @param object the object to write back (the found one, with the drifted fields restored)
   * @param fields the paths that differed, e.g. {@code spec.selector}
   */
  public record Repair<T extends HasMetadata>(T object, List<String> fields) {
  }

  private Drift() {
  }

  /** The Service as found, restored where it drifted from {@code desired}; empty when nothing drifted. */
  public static Optional<Repair<Service>> service(Service desired, Service found) {
    Service repaired = new ServiceBuilder(found).build();
    List<String> fields = new ArrayList<>();
    restoreMetadata(desired, repaired, fields);
    var want = desired.getSpec();
    var have = repaired.getSpec();
    if (!Objects.equals(want.getSelector(), have.getSelector())) {
      have.setSelector(new LinkedHashMap<>(want.getSelector()));
      fields.add("spec.selector");
    }
    boolean typeChanged = want.getType() != null && !want.getType().equals(have.getType());
    if (typeChanged) {
      have.setType(want.getType());
      fields.add("spec.type");
    }
    List<ServicePort> ports = ports(want.getPorts(), have.getPorts(), typeChanged);
    if (!ports.equals(have.getPorts())) {
      have.setPorts(ports);
      fields.add("spec.ports");
    }
    if (want.getPublishNotReadyAddresses() != null
        && !want.getPublishNotReadyAddresses().equals(have.getPublishNotReadyAddresses())) {
      have.setPublishNotReadyAddresses(want.getPublishNotReadyAddresses());
      fields.add("spec.publishNotReadyAddresses");
    }
    return fields.isEmpty() ? Optional.empty() : Optional.of(new Repair<>(repaired, fields));
  }

  /**
   * Whether the Service must be deleted and made anew: a headless Service that has a cluster IP (or
   * the reverse) cannot be fixed in place, {@code spec.clusterIP} is immutable.
   */
  public static boolean needsRecreate(Service desired, Service found) {
    boolean wantHeadless = "None".equals(desired.getSpec().getClusterIP());
    String have = found.getSpec() == null ? null : found.getSpec().getClusterIP();
    return have != null && !have.isEmpty() && wantHeadless != "None".equals(have);
  }

  /** The PodDisruptionBudget as found, restored where it drifted from {@code desired}; empty when nothing drifted. */
  public static Optional<Repair<PodDisruptionBudget>> podDisruptionBudget(PodDisruptionBudget desired,
      PodDisruptionBudget found) {
    PodDisruptionBudget repaired = new PodDisruptionBudgetBuilder(found).build();
    List<String> fields = new ArrayList<>();
    restoreMetadata(desired, repaired, fields);
    var want = desired.getSpec();
    var have = repaired.getSpec();
    if (!Objects.equals(want.getMaxUnavailable(), have.getMaxUnavailable()) || have.getMinAvailable() != null) {
      // maxUnavailable and minAvailable exclude each other: a budget restored to ours drops the other.
      have.setMaxUnavailable(want.getMaxUnavailable());
      have.setMinAvailable(null);
      fields.add("spec.maxUnavailable");
    }
    if (!Objects.equals(want.getSelector(), have.getSelector())) {
      have.setSelector(want.getSelector());
      fields.add("spec.selector");
    }
    return fields.isEmpty() ? Optional.empty() : Optional.of(new Repair<>(repaired, fields));
  }

  /** Our labels with our values (others' labels kept), and our controller reference present. */
  private static void restoreMetadata(HasMetadata desired, HasMetadata repaired, List<String> fields) {
    ObjectMeta want = desired.getMetadata();
    ObjectMeta have = repaired.getMetadata();
    Map<String, String> labels = have.getLabels() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(have.getLabels());
    boolean labelsDrifted = false;
    for (Map.Entry<String, String> label : want.getLabels().entrySet()) {
      if (!label.getValue().equals(labels.put(label.getKey(), label.getValue()))) {
        labelsDrifted = true;
      }
    }
    if (labelsDrifted) {
      have.setLabels(labels);
      fields.add("metadata.labels");
    }
    List<OwnerReference> owners = have.getOwnerReferences() == null ? new ArrayList<>()
        : new ArrayList<>(have.getOwnerReferences());
    for (OwnerReference ours : want.getOwnerReferences()) {
      if (owners.stream().noneMatch(o -> Objects.equals(o.getUid(), ours.getUid()))) {
        owners.add(ours);
        have.setOwnerReferences(owners);
        fields.add("metadata.ownerReferences");
      }
    }
  }

  /**
   * The desired ports, each kept as found when its name, port, target port and protocol match, so
   * what the API server filled in (a NodePort's nodePort, an appProtocol default) is not churned.
   * After a type change every port is taken as desired: a nodePort is not valid on a ClusterIP port.
   */
  private static List<ServicePort> ports(List<ServicePort> want, List<ServicePort> have, boolean typeChanged) {
    List<ServicePort> ports = new ArrayList<>();
    for (ServicePort w : want) {
      ServicePort kept = typeChanged || have == null ? null : have.stream()
          .filter(h -> Objects.equals(h.getName(), w.getName()) && Objects.equals(h.getPort(), w.getPort())
              && Objects.equals(h.getTargetPort(), w.getTargetPort())
              && Objects.equals(h.getProtocol() == null ? "TCP" : h.getProtocol(), w.getProtocol()))
          .findFirst().orElse(null);
      ports.add(kept != null ? kept : w);
    }
    return ports;
  }
}
