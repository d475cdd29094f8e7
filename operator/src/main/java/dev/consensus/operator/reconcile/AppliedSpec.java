package dev.consensus.operator.reconcile;

import dev.consensus.crd.ConsensusCluster;
import dev.consensus.crd.ConsensusClusterSpec;
import dev.consensus.operator.model.ClusterNames;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.HashMap;
import java.util.Map;

/**
 * The spec the operator last applied, kept as an annotation on the StatefulSet it applied it to, so
 * that {@code ChangeValidator} can refuse a change of an immutable field that an API server without
 * the CRD's CEL rules let through.
 */
final class AppliedSpec {

  static final String ANNOTATION = "consensus.dev/applied-spec";

  private AppliedSpec() {
  }

  static void record(StatefulSet sts, ConsensusClusterSpec spec) {
    Map<String, String> annotations = sts.getMetadata().getAnnotations() == null ? new HashMap<>()
        : new HashMap<>(sts.getMetadata().getAnnotations());
    annotations.put(ANNOTATION, Serialization.asJson(spec));
    sts.getMetadata().setAnnotations(annotations);
  }

  /** The applied spec, or null before the first StatefulSet (or when the annotation is unreadable). */
  static ConsensusClusterSpec read(KubernetesClient client, ConsensusCluster cluster) {
    StatefulSet sts = client.apps().statefulSets().inNamespace(cluster.getMetadata().getNamespace())
        .withName(ClusterNames.of(cluster).statefulSet()).get();
    String json = sts == null || sts.getMetadata().getAnnotations() == null ? null
        : sts.getMetadata().getAnnotations().get(ANNOTATION);
    try {
      return json == null ? null : Serialization.unmarshal(json, ConsensusClusterSpec.class);
    } catch (RuntimeException e) {
      return null;
    }
  }
}
