package dev.consensus.operator.model;

import static dev.consensus.operator.Clusters.cluster;
import static dev.consensus.operator.Clusters.minimal;
import static org.assertj.core.api.Assertions.assertThat;

import dev.consensus.crd.ConsensusCluster;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DriftTest {

  private final ConsensusCluster demo = cluster(minimal(3));

  /** What an API server returns for the desired object: the same, plus the fields it assigns. */
  private static Service asStored(Service desired, String clusterIp) {
    return new ServiceBuilder(desired).editMetadata().withResourceVersion("17").withUid("svc-uid")
        .addToLabels("team", "payments").addToAnnotations("note", "kept").endMetadata()
        .editSpec().withClusterIP(clusterIp).withSessionAffinity("None").endSpec().build();
  }

  @Test
  void a_service_as_the_api_server_stores_it_has_not_drifted() {
    assertThat(Drift.service(ServiceModels.client(demo), asStored(ServiceModels.client(demo), "10.0.0.7"))).isEmpty();
    assertThat(Drift.service(ServiceModels.headless(demo), asStored(ServiceModels.headless(demo), "None"))).isEmpty();
    assertThat(Drift.needsRecreate(ServiceModels.headless(demo), asStored(ServiceModels.headless(demo), "None")))
        .isFalse();
  }

  @Test
  void a_drifted_service_gets_our_selector_ports_and_labels_back_and_keeps_what_is_not_ours() {
    Service desired = ServiceModels.client(demo);
    Service edited = new ServiceBuilder(asStored(desired, "10.0.0.7"))
        .editMetadata().addToLabels(Labels.INSTANCE, "other").removeFromLabels(Labels.MANAGED_BY)
          .withOwnerReferences().endMetadata()
        .editSpec().withSelector(Map.of("app", "x")).editFirstPort().withPort(9999).endPort().endSpec().build();

    var repair = Drift.service(desired, edited).orElseThrow();

    assertThat(repair.fields()).containsExactly("metadata.labels", "metadata.ownerReferences", "spec.selector",
        "spec.ports");
    Service fixed = repair.object();
    assertThat(fixed.getSpec().getSelector()).isEqualTo(Labels.selector(demo));
    assertThat(fixed.getSpec().getPorts()).isEqualTo(desired.getSpec().getPorts());
    assertThat(fixed.getMetadata().getLabels()).containsAllEntriesOf(Labels.all(demo)).containsEntry("team", "payments");
    assertThat(fixed.getMetadata().getOwnerReferences()).isEqualTo(desired.getMetadata().getOwnerReferences());
    assertThat(fixed.getMetadata().getAnnotations()).containsEntry("note", "kept");
    assertThat(fixed.getMetadata().getResourceVersion()).isEqualTo("17");
    assertThat(fixed.getSpec().getClusterIP()).isEqualTo("10.0.0.7");
    assertThat(fixed.getSpec().getSessionAffinity()).isEqualTo("None");
    assertThat(Drift.service(desired, fixed)).isEmpty();
    assertThat(edited.getSpec().getSelector()).as("the found object is not changed").containsEntry("app", "x");
  }

  @Test
  void a_service_turned_into_a_node_port_is_turned_back_with_its_node_ports_dropped() {
    Service desired = ServiceModels.client(demo);
    Service edited = new ServiceBuilder(asStored(desired, "10.0.0.7")).editSpec().withType("NodePort")
        .editFirstPort().withNodePort(30007).endPort().endSpec().build();
    Service fixed = Drift.service(desired, edited).orElseThrow().object();
    assertThat(fixed.getSpec().getType()).isEqualTo("ClusterIP");
    assertThat(fixed.getSpec().getPorts()).singleElement().satisfies(p -> assertThat(p.getNodePort()).isNull());
  }

  @Test
  void a_headless_service_that_got_a_cluster_ip_must_be_made_anew() {
    assertThat(Drift.needsRecreate(ServiceModels.headless(demo), asStored(ServiceModels.headless(demo), "10.0.0.9")))
        .isTrue();
    assertThat(Drift.needsRecreate(ServiceModels.client(demo), asStored(ServiceModels.client(demo), "None")))
        .isTrue();
  }

  @Test
  void a_drifted_budget_gets_max_unavailable_one_and_our_selector_back() {
    PodDisruptionBudget desired = PodDisruptionBudgetModel.desired(demo);
    assertThat(Drift.podDisruptionBudget(desired, new PodDisruptionBudgetBuilder(desired).build())).isEmpty();
    PodDisruptionBudget edited = new PodDisruptionBudgetBuilder(desired).editSpec().withMaxUnavailable(null)
        .withMinAvailable(new IntOrString(3)).editSelector().withMatchLabels(Map.of("app", "x")).endSelector()
        .endSpec().build();

    var repair = Drift.podDisruptionBudget(desired, edited).orElseThrow();

    assertThat(repair.fields()).containsExactly("spec.maxUnavailable", "spec.selector");
    assertThat(repair.object().getSpec().getMinAvailable()).isNull();
    assertThat(repair.object().getSpec().getMaxUnavailable()).isEqualTo(new IntOrString(1));
    assertThat(repair.object().getSpec().getSelector().getMatchLabels()).isEqualTo(Labels.selector(demo));
  }
}
