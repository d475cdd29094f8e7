package dev.consensus.operator.model;

import static dev.consensus.operator.Clusters.cluster;
import static dev.consensus.operator.Clusters.minimal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.consensus.crd.AutoCompactionMode;
import dev.consensus.crd.ConsensusCluster;
import dev.consensus.crd.ConsensusClusterSpec;
import dev.consensus.crd.PodOverrides;
import dev.consensus.crd.StorageSpec;
import dev.consensus.crd.StoreOptions;
import dev.consensus.crd.TlsSpec;
import dev.consensus.crd.VolumeDeletionPolicy;
import dev.consensus.operator.Clusters;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DesiredObjectsTest {

  private final ConsensusCluster demo = cluster(minimal(3));

  @Test
  void every_object_is_owned_by_the_resource_and_labelled() {
    List<HasMetadata> objects = List.of(ServiceModels.headless(demo), ServiceModels.client(demo),
        StatefulSetModel.desired(demo, 1), PodDisruptionBudgetModel.desired(demo),
        ClusterConfigMapModel.bootstrap(demo));
    for (HasMetadata object : objects) {
      assertThat(object.getMetadata().getNamespace()).isEqualTo("ns");
      assertThat(object.getMetadata().getOwnerReferences()).singleElement().satisfies(ref -> {
        assertThat(ref.getApiVersion()).isEqualTo("consensus.dev/v1alpha1");
        assertThat(ref.getKind()).isEqualTo("ConsensusCluster");
        assertThat(ref.getName()).isEqualTo("demo");
        assertThat(ref.getUid()).isEqualTo("uid-1");
        assertThat(ref.getController()).isTrue();
        assertThat(ref.getBlockOwnerDeletion()).isTrue();
      });
      assertThat(object.getMetadata().getLabels()).containsAllEntriesOf(Map.of(
          "app.kubernetes.io/name", "consensus-store", "app.kubernetes.io/instance", "demo",
          "app.kubernetes.io/component", "store", "app.kubernetes.io/managed-by", "consensus-operator",
          "app.kubernetes.io/version", StoreImage.DEFAULT_TAG));
    }
    assertThat(objects).extracting(o -> o.getMetadata().getName())
        .containsExactly("demo", "demo-client", "demo", "demo", "demo-cluster");
  }

  @Test
  void the_headless_service_publishes_members_before_they_are_ready() {
    Service headless = ServiceModels.headless(demo);
    assertThat(headless.getSpec().getClusterIP()).isEqualTo("None");
    assertThat(headless.getSpec().getPublishNotReadyAddresses()).isTrue();
    assertThat(headless.getSpec().getSelector()).isEqualTo(Labels.selector(demo));
    assertThat(headless.getSpec().getPorts()).extracting(p -> p.getName() + ":" + p.getPort())
        .containsExactly("peer:2380", "client:2379");
  }

  @Test
  void the_client_service_routes_to_ready_members_on_2379() {
    Service client = ServiceModels.client(demo);
    assertThat(client.getSpec().getType()).isEqualTo("ClusterIP");
    assertThat(client.getSpec().getPublishNotReadyAddresses()).isNull();
    assertThat(client.getSpec().getPorts()).extracting(p -> p.getName() + ":" + p.getPort())
        .containsExactly("client:2379");
  }

  @Test
  void the_pdb_allows_one_voluntary_disruption() {
    PodDisruptionBudget pdb = PodDisruptionBudgetModel.desired(demo);
    assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
    assertThat(pdb.getSpec().getMinAvailable()).isNull();
    assertThat(pdb.getSpec().getSelector().getMatchLabels()).isEqualTo(Labels.selector(demo));
  }

  @Test
  void the_statefulset_takes_its_replicas_from_the_caller_and_restarts_nothing_by_itself() {
    StatefulSet sts = StatefulSetModel.desired(demo, 2);
    assertThat(sts.getSpec().getReplicas()).isEqualTo(2);
    assertThat(sts.getSpec().getServiceName()).isEqualTo("demo");
    assertThat(sts.getSpec().getPodManagementPolicy()).isEqualTo("Parallel");
    assertThat(sts.getSpec().getUpdateStrategy().getType()).isEqualTo("OnDelete");
    assertThat(sts.getSpec().getSelector().getMatchLabels()).isEqualTo(Labels.selector(demo));
    assertThat(sts.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(Labels.selector(demo));
    assertThat(sts.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenDeleted()).isEqualTo("Retain");
    assertThat(sts.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenScaled()).isEqualTo("Retain");
    assertThat(sts.getSpec().getVolumeClaimTemplates()).singleElement().satisfies(claim -> {
      assertThat(claim.getMetadata().getName()).isEqualTo("data");
      assertThat(claim.getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
      assertThat(claim.getSpec().getStorageClassName()).isNull();
      assertThat(claim.getSpec().getResources().getRequests()).containsEntry("storage", new Quantity("1Gi"));
    });
    assertThatThrownBy(() -> StatefulSetModel.desired(demo, -1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void storage_class_and_deletion_policy_come_from_the_spec() {
    ConsensusCluster c = cluster(new ConsensusClusterSpec(3, null, null, null,
        new StorageSpec(new Quantity("20Gi"), "fast-ssd", VolumeDeletionPolicy.Delete), null, null, null, null, null));
    StatefulSet sts = StatefulSetModel.desired(c, 3);
    assertThat(sts.getSpec().getVolumeClaimTemplates().get(0).getSpec().getStorageClassName()).isEqualTo("fast-ssd");
    assertThat(sts.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenDeleted()).isEqualTo("Delete");
  }

  @Test
  void the_container_runs_etcds_flags_with_the_stable_peer_name() {
    Container container = container(demo);
    assertThat(container.getImage()).isEqualTo(StoreImage.DEFAULT_REPOSITORY + ":" + StoreImage.DEFAULT_TAG);
    assertThat(container.getCommand()).as("the image's entrypoint runs").isEmpty();
    assertThat(container.getArgs()).containsExactly(
        "--name=$(POD_NAME)",
        "--data-dir=/var/lib/store/data",
        "--listen-peer-urls=http://0.0.0.0:2380",
        "--listen-client-urls=http://0.0.0.0:2379",
        "--listen-metrics-urls=http://0.0.0.0:2381",
        "--initial-advertise-peer-urls=http://$(POD_NAME).demo.ns.svc:2380",
        "--advertise-client-urls=http://$(POD_NAME).demo.ns.svc:2379",
        "--initial-cluster=$(INITIAL_CLUSTER)",
        "--initial-cluster-state=$(INITIAL_CLUSTER_STATE)",
        "--initial-cluster-token=demo-uid-1",
        "--heartbeat-interval=100",
        "--election-timeout=1000",
        "--snapshot-count=100000",
        "--auto-compaction-mode=periodic",
        "--auto-compaction-retention=0");
    assertThat(container.getVolumeMounts()).extracting(m -> m.getName() + ":" + m.getMountPath())
        .containsExactly("data:/var/lib/store");
  }

  @Test
  void pod_name_and_initial_cluster_come_from_the_environment() {
    List<EnvVar> env = container(demo).getEnv();
    assertThat(env).extracting(EnvVar::getName).containsExactly("POD_NAME", "INITIAL_CLUSTER", "INITIAL_CLUSTER_STATE");
    assertThat(env.get(0).getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
    assertThat(env.get(1).getValueFrom().getConfigMapKeyRef().getName()).isEqualTo("demo-cluster");
    assertThat(env.get(1).getValueFrom().getConfigMapKeyRef().getKey()).isEqualTo("initial-cluster");
    assertThat(env.get(1).getValueFrom().getConfigMapKeyRef().getOptional()).isFalse();
    assertThat(env.get(2).getValueFrom().getConfigMapKeyRef().getKey()).isEqualTo("initial-cluster-state");
  }

  @Test
  void the_data_volume_is_writable_by_the_store_node_images_non_root_user() {
    var security = StatefulSetModel.desired(demo, 1).getSpec().getTemplate().getSpec().getSecurityContext();
    assertThat(security.getFsGroup()).isEqualTo(65532L);
    assertThat(security.getFsGroupChangePolicy()).isEqualTo("OnRootMismatch");
  }

  @Test
  void probes_ask_the_metrics_listener() {
    Container container = container(demo);
    assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/livez");
    assertThat(container.getStartupProbe().getHttpGet().getPath()).isEqualTo("/livez");
    assertThat(container.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("metrics");
    assertThat(container.getPorts()).extracting(p -> p.getName() + ":" + p.getContainerPort())
        .containsExactly("client:2379", "peer:2380", "metrics:2381");
  }

  @Test
  void store_options_become_flags_and_quantities_become_bytes() {
    Container container = container(cluster(Clusters.withStore(
        new StoreOptions(200, 2000, 5000L, new Quantity("8Gi"), AutoCompactionMode.REVISION, "1000"))));
    assertThat(container.getArgs()).contains("--heartbeat-interval=200", "--election-timeout=2000",
        "--snapshot-count=5000", "--quota-backend-bytes=8589934592", "--auto-compaction-mode=revision",
        "--auto-compaction-retention=1000");
  }

  @Test
  void tls_switches_schemes_adds_flags_and_mounts_the_secrets() {
    ConsensusCluster tls = cluster(Clusters.withTls(new TlsSpec("client-cert", "peer-cert")));
    Container container = container(tls);
    assertThat(container.getArgs()).contains(
        "--listen-peer-urls=https://0.0.0.0:2380",
        "--listen-client-urls=https://0.0.0.0:2379",
        "--listen-metrics-urls=http://0.0.0.0:2381",
        "--initial-advertise-peer-urls=https://$(POD_NAME).demo.ns.svc:2380",
        "--advertise-client-urls=https://$(POD_NAME).demo.ns.svc:2379",
        "--cert-file=/etc/consensus/tls/client/tls.crt", "--key-file=/etc/consensus/tls/client/tls.key",
        "--trusted-ca-file=/etc/consensus/tls/client/ca.crt", "--client-cert-auth=true",
        "--peer-cert-file=/etc/consensus/tls/peer/tls.crt", "--peer-key-file=/etc/consensus/tls/peer/tls.key",
        "--peer-trusted-ca-file=/etc/consensus/tls/peer/ca.crt", "--peer-client-cert-auth=true");
    assertThat(container.getVolumeMounts()).extracting(m -> m.getName() + ":" + m.getMountPath())
        .containsExactly("data:/var/lib/store", "client-tls:/etc/consensus/tls/client",
            "peer-tls:/etc/consensus/tls/peer");
    var volumes = StatefulSetModel.desired(tls, 3).getSpec().getTemplate().getSpec().getVolumes();
    assertThat(volumes).extracting(v -> v.getName() + ":" + v.getSecret().getSecretName())
        .containsExactly("client-tls:client-cert", "peer-tls:peer-cert");
    assertThat(StoreFlags.peerUrl(tls, "demo-1")).isEqualTo("https://demo-1.demo.ns.svc:2380");
    assertThat(StoreFlags.clientUrl(tls, "demo-1")).isEqualTo("https://demo-1.demo.ns.svc:2379");
  }

  @Test
  void peer_tls_alone_keeps_clients_on_http() {
    Container container = container(cluster(Clusters.withTls(new TlsSpec(null, "peer-cert"))));
    assertThat(container.getArgs()).contains("--listen-client-urls=http://0.0.0.0:2379",
        "--listen-peer-urls=https://0.0.0.0:2380").noneMatch(a -> a.startsWith("--cert-file"));
  }

  @Test
  void a_stock_etcd_image_runs_its_binary_with_the_same_flags() {
    ConsensusCluster etcd = cluster(new ConsensusClusterSpec(3, "quay.io/coreos/etcd", "v3.5.17",
        List.of("/usr/local/bin/etcd"), new StorageSpec(new Quantity("1Gi"), null, null), null, null, null, null, null));
    Container container = container(etcd);
    assertThat(container.getImage()).isEqualTo("quay.io/coreos/etcd:v3.5.17");
    assertThat(container.getCommand()).containsExactly("/usr/local/bin/etcd");
    assertThat(container.getArgs()).isEqualTo(container(demo).getArgs());
    assertThat(StatefulSetModel.desired(etcd, 1).getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/version", "v3.5.17");
  }

  @Test
  void pod_overrides_are_copied_and_cannot_displace_the_selector_labels() {
    PodOverrides overrides = new PodOverrides(null,
        List.of(new TolerationBuilder().withKey("dedicated").withOperator("Exists").build()),
        Map.of("disktype", "ssd"), List.of(), "high", Map.of("team", "payments"), Map.of("a", "b"));
    ConsensusCluster c = cluster(new ConsensusClusterSpec(3, null, null, null,
        new StorageSpec(new Quantity("1Gi"), null, null),
        new ResourceRequirementsBuilder().addToLimits("memory", new Quantity("1Gi")).build(),
        overrides, null, null, null));
    var template = StatefulSetModel.desired(c, 3).getSpec().getTemplate();
    assertThat(template.getMetadata().getLabels()).containsEntry("team", "payments")
        .containsAllEntriesOf(Labels.selector(c));
    assertThat(template.getMetadata().getAnnotations()).containsEntry("a", "b");
    assertThat(template.getSpec().getTolerations()).hasSize(1);
    assertThat(template.getSpec().getNodeSelector()).containsEntry("disktype", "ssd");
    assertThat(template.getSpec().getPriorityClassName()).isEqualTo("high");
    assertThat(template.getSpec().getContainers().get(0).getResources().getLimits())
        .containsEntry("memory", new Quantity("1Gi"));
  }

  @Test
  void the_first_member_bootstraps_alone_and_joiners_get_the_whole_membership() {
    ConfigMap bootstrap = ClusterConfigMapModel.bootstrap(demo);
    assertThat(bootstrap.getData()).containsExactly(
        Map.entry("initial-cluster", "demo-0=http://demo-0.demo.ns.svc:2380"),
        Map.entry("initial-cluster-state", "new"));
    ConfigMap joining = ClusterConfigMapModel.joining(demo, List.of(
        new PeerMember("demo-0", StoreFlags.peerUrl(demo, "demo-0")),
        new PeerMember("demo-1", StoreFlags.peerUrl(demo, "demo-1"))));
    assertThat(joining.getData()).containsExactly(
        Map.entry("initial-cluster", "demo-0=http://demo-0.demo.ns.svc:2380,demo-1=http://demo-1.demo.ns.svc:2380"),
        Map.entry("initial-cluster-state", "existing"));
    assertThatThrownBy(() -> ClusterConfigMapModel.joining(demo, List.of()))
        .hasMessageContaining("needs the existing membership");
  }

  @Test
  void names_and_ordinals() {
    ClusterNames names = ClusterNames.of(demo);
    assertThat(names.member(4)).isEqualTo("demo-4");
    assertThat(names.memberHost(4)).isEqualTo("demo-4.demo.ns.svc");
    assertThat(names.clientHost()).isEqualTo("demo-client.ns.svc");
    assertThat(names.ordinalOf("demo-4")).isEqualTo(4);
    assertThat(names.ordinalOf("demo-x")).isEqualTo(-1);
    assertThat(names.ordinalOf("other-1")).isEqualTo(-1);
    assertThat(Labels.selectorString(demo)).isEqualTo("app.kubernetes.io/name=consensus-store,app.kubernetes.io/instance=demo");
    assertThat(Labels.labelValue("v1." + "a".repeat(70))).hasSize(63);
    assertThat(Labels.labelValue("v1-")).isEqualTo("v1");
  }

  private static Container container(ConsensusCluster cluster) {
    return StatefulSetModel.desired(cluster, 1).getSpec().getTemplate().getSpec().getContainers().get(0);
  }
}
