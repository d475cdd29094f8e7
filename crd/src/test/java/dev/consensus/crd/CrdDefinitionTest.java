package dev.consensus.crd;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The generated CRD says what docs/operator.md promises: names, subresources, columns, defaults and rules. */
class CrdDefinitionTest {

  private final CustomResourceDefinition crd = CrdFiles.generatedCrd();
  private final CustomResourceDefinitionVersion version = crd.getSpec().getVersions().get(0);
  private final JSONSchemaProps root = version.getSchema().getOpenAPIV3Schema();
  private final JSONSchemaProps spec = root.getProperties().get("spec");

  @Test
  void group_version_and_names() {
    assertThat(crd.getMetadata().getName()).isEqualTo("consensusclusters.consensus.dev");
    assertThat(crd.getSpec().getGroup()).isEqualTo("consensus.dev");
    assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
    assertThat(crd.getSpec().getNames().getKind()).isEqualTo("ConsensusCluster");
    assertThat(crd.getSpec().getNames().getPlural()).isEqualTo("consensusclusters");
    assertThat(crd.getSpec().getNames().getSingular()).isEqualTo("consensuscluster");
    assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("cc");
    assertThat(crd.getSpec().getVersions()).hasSize(1);
    assertThat(version.getName()).isEqualTo("v1alpha1");
    assertThat(version.getServed()).isTrue();
    assertThat(version.getStorage()).isTrue();
  }

  @Test
  void status_and_scale_subresources_so_kubectl_scale_works() {
    assertThat(version.getSubresources().getStatus()).isNotNull();
    var scale = version.getSubresources().getScale();
    assertThat(scale.getSpecReplicasPath()).isEqualTo(".spec.replicas");
    assertThat(scale.getStatusReplicasPath()).isEqualTo(".status.replicas");
    assertThat(scale.getLabelSelectorPath()).isEqualTo(".status.selector");
  }

  @Test
  void printer_columns() {
    // The generator orders columns by JSON path; kubectl shows them in this order.
    assertThat(version.getAdditionalPrinterColumns())
        .extracting(CustomResourceColumnDefinition::getName, CustomResourceColumnDefinition::getJsonPath,
            CustomResourceColumnDefinition::getType)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("Age", ".metadata.creationTimestamp", "date"),
            org.assertj.core.groups.Tuple.tuple("Replicas", ".spec.replicas", "integer"),
            org.assertj.core.groups.Tuple.tuple("Failure-Tolerance", ".status.failureTolerance", "integer"),
            org.assertj.core.groups.Tuple.tuple("Leader", ".status.leader", "string"),
            org.assertj.core.groups.Tuple.tuple("Phase", ".status.phase", "string"),
            org.assertj.core.groups.Tuple.tuple("Term", ".status.raftTerm", "integer"),
            org.assertj.core.groups.Tuple.tuple("Ready", ".status.readyMembers", "integer"));
  }

  @Test
  void replicas_is_required_and_bounded_and_storage_size_is_a_required_quantity() {
    assertThat(spec.getRequired()).containsExactlyInAnyOrder("replicas", "storage");
    JSONSchemaProps replicas = spec.getProperties().get("replicas");
    assertThat(replicas.getType()).isEqualTo("integer");
    assertThat(replicas.getMinimum()).isEqualTo(1.0);
    assertThat(replicas.getMaximum()).isEqualTo(7.0);
    JSONSchemaProps storage = spec.getProperties().get("storage");
    assertThat(storage.getRequired()).containsExactly("size");
    assertThat(storage.getProperties().get("size").getXKubernetesIntOrString()).isTrue();
    assertThat(storage.getProperties().get("deletionPolicy").getEnum())
        .extracting(node -> node.asText()).containsExactly("Delete", "Retain");
    assertThat(storage.getProperties().get("deletionPolicy").getDefault().asText()).isEqualTo("Retain");
    JSONSchemaProps store = spec.getProperties().get("store");
    assertThat(store.getProperties().get("quotaBackendBytes").getXKubernetesIntOrString()).isTrue();
    assertThat(store.getProperties().get("autoCompactionMode").getEnum())
        .extracting(node -> node.asText()).containsExactlyInAnyOrder("periodic", "revision");
    assertThat(store.getProperties().get("heartbeatIntervalMs").getDefault().asInt()).isEqualTo(100);
    assertThat(store.getProperties().get("electionTimeoutMs").getDefault().asInt()).isEqualTo(1000);
  }

  @Test
  void immutable_fields_have_cel_rules_with_messages() {
    JSONSchemaProps storage = spec.getProperties().get("storage");
    assertThat(rules(storage)).containsEntry("self.size == oldSelf.size",
        "storage.size is immutable: the StatefulSet's volume claim template cannot change and the operator"
            + " does not resize volumes");
    assertThat(rules(storage)).anySatisfy((rule, message) -> {
      assertThat(rule).contains("self.storageClassName == oldSelf.storageClassName");
      assertThat(message).startsWith("storage.storageClassName is immutable");
    });
    assertThat(rules(spec)).anySatisfy((rule, message) -> {
      assertThat(rule).startsWith("has(self.tls) == has(oldSelf.tls)");
      assertThat(message).startsWith("TLS cannot be turned on or off on an existing cluster");
    });
    assertThat(rules(root)).anySatisfy((rule, message) -> {
      assertThat(rule).contains("self.metadata.name.size() <= 52");
      assertThat(message).startsWith("metadata.name must be a DNS-1035 label");
    });
    assertThat(rules(spec.getProperties().get("tls")))
        .containsKey("has(self.clientSecretName) || has(self.peerSecretName)");
  }

  @Test
  void every_spec_field_has_a_description() {
    spec.getProperties().forEach((name, props) ->
        assertThat(props.getDescription()).as("spec.%s description", name).isNotBlank());
    root.getProperties().get("status").getProperties().forEach((name, props) ->
        assertThat(props.getDescription()).as("status.%s description", name).isNotBlank());
  }

  @Test
  void pod_overrides_carry_the_kubernetes_schemas() {
    JSONSchemaProps pod = spec.getProperties().get("pod");
    assertThat(pod.getProperties()).containsKeys("affinity", "tolerations", "nodeSelector",
        "topologySpreadConstraints", "priorityClassName", "labels", "annotations");
    assertThat(pod.getProperties().get("affinity").getProperties()).containsKeys("nodeAffinity", "podAntiAffinity");
    assertThat(spec.getProperties().get("resources").getProperties()).containsKeys("limits", "requests");
  }

  @Test
  void conditions_are_in_kubernetes_format() {
    JSONSchemaProps condition = root.getProperties().get("status").getProperties().get("conditions").getItems().getSchema();
    assertThat(condition.getProperties()).containsKeys("type", "status", "reason", "message",
        "lastTransitionTime", "observedGeneration");
  }

  private static Map<String, String> rules(JSONSchemaProps props) {
    List<ValidationRule> rules = props.getXKubernetesValidations();
    assertThat(rules).as("x-kubernetes-validations").isNotNull();
    return rules.stream().collect(java.util.stream.Collectors.toMap(ValidationRule::getRule, ValidationRule::getMessage));
  }
}
