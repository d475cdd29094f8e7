package dev.consensus.operator.model;

import dev.consensus.crd.ConsensusCluster;
import dev.consensus.crd.ConsensusClusterSpec;
import dev.consensus.crd.PodOverrides;
import dev.consensus.crd.TlsSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The member pod: one store container with etcd's flags, probes on the metrics listener, TLS Secrets mounted. */
public final class PodTemplateModel {

  public static final String CONTAINER = "store";
  static final String CLIENT_TLS_VOLUME = "client-tls";
  static final String PEER_TLS_VOLUME = "peer-tls";
  /**
   * The group that owns the data volume: the store-node image runs as the non-root user 65532
   * (make images), and a fresh volume is root's on most storage classes. Stock etcd images run as
   * root and are not affected.
   */
  public static final long DATA_FS_GROUP = 65532L;

  private PodTemplateModel() {
  }

  public static PodTemplateSpec desired(ConsensusCluster cluster) {
    ConsensusClusterSpec spec = cluster.getSpec();
    PodOverrides pod = spec.pod() == null ? new PodOverrides(null, null, null, null, null, null, null) : spec.pod();
    Map<String, String> labels = new LinkedHashMap<>();
    if (pod.labels() != null) {
      labels.putAll(pod.labels());
    }
    // The operator's labels last: the selector must match whatever the user added.
    labels.putAll(Labels.all(cluster));
    return new PodTemplateSpecBuilder()
        .withNewMetadata()
          .withLabels(labels)
          .withAnnotations(pod.annotations() == null ? Map.of() : pod.annotations())
        .endMetadata()
        .withNewSpec()
          .withContainers(container(cluster))
          .withVolumes(tlsVolumes(spec.tls()))
          .withAffinity(pod.affinity())
          .withTolerations(pod.tolerations() == null ? List.of() : pod.tolerations())
          .withNodeSelector(pod.nodeSelector() == null ? Map.of() : pod.nodeSelector())
          .withTopologySpreadConstraints(
              pod.topologySpreadConstraints() == null ? List.of() : pod.topologySpreadConstraints())
          .withPriorityClassName(pod.priorityClassName())
          .withNewSecurityContext()
            .withFsGroup(DATA_FS_GROUP)
            .withFsGroupChangePolicy("OnRootMismatch")
          .endSecurityContext()
        .endSpec()
        .build();
  }

  private static Container container(ConsensusCluster cluster) {
    ConsensusClusterSpec spec = cluster.getSpec();
    ContainerBuilder container = new ContainerBuilder()
        .withName(CONTAINER)
        .withImage(StoreImage.reference(spec))
        .withArgs(StoreFlags.args(cluster))
        .withEnv(env(cluster))
        .addNewPort().withName("client").withContainerPort(ClusterNames.CLIENT_PORT).withProtocol("TCP").endPort()
        .addNewPort().withName("peer").withContainerPort(ClusterNames.PEER_PORT).withProtocol("TCP").endPort()
        .addNewPort().withName("metrics").withContainerPort(ClusterNames.METRICS_PORT).withProtocol("TCP").endPort()
        .withVolumeMounts(mounts(spec.tls()))
        .withStartupProbe(probe("/livez", 5, 60))
        .withLivenessProbe(probe("/livez", 10, 3))
        .withReadinessProbe(probe("/readyz", 5, 3))
        .withResources(spec.resources());
    if (spec.command() != null) {
      container.withCommand(spec.command());
    }
    return container.build();
  }

  /**
   * The pod's name (the member's name) from the downward API; the initial cluster and its state
   * from the cluster ConfigMap, both required: a member must never start on a guess.
   */
  private static List<EnvVar> env(ConsensusCluster cluster) {
    String configMap = ClusterNames.of(cluster).clusterConfigMap();
    return List.of(
        new EnvVarBuilder().withName(StoreFlags.POD_NAME_ENV)
            .withNewValueFrom().withNewFieldRef().withFieldPath("metadata.name").endFieldRef().endValueFrom()
            .build(),
        fromConfigMap(StoreFlags.INITIAL_CLUSTER_ENV, configMap, ClusterConfigMapModel.INITIAL_CLUSTER_KEY),
        fromConfigMap(StoreFlags.INITIAL_CLUSTER_STATE_ENV, configMap,
            ClusterConfigMapModel.INITIAL_CLUSTER_STATE_KEY));
  }

  private static EnvVar fromConfigMap(String name, String configMap, String key) {
    return new EnvVarBuilder().withName(name)
        .withNewValueFrom().withNewConfigMapKeyRef(key, configMap, false).endValueFrom()
        .build();
  }

  /**
   * Probes on the metrics listener, plain HTTP even under TLS, so the kubelet needs no certificate.
   * The startup probe gives a member up to 5 minutes to open its data before liveness counts.
   */
  private static Probe probe(String path, int periodSeconds, int failureThreshold) {
    return new ProbeBuilder()
        .withNewHttpGet().withPath(path).withPort(new IntOrString("metrics")).withScheme("HTTP").endHttpGet()
        .withPeriodSeconds(periodSeconds)
        .withFailureThreshold(failureThreshold)
        .withTimeoutSeconds(2)
        .build();
  }

  private static List<VolumeMount> mounts(TlsSpec tls) {
    List<VolumeMount> mounts = new ArrayList<>();
    mounts.add(new VolumeMountBuilder().withName(StoreFlags.DATA_VOLUME).withMountPath(StoreFlags.DATA_MOUNT).build());
    if (tls != null && tls.clientSecretName() != null) {
      mounts.add(new VolumeMountBuilder().withName(CLIENT_TLS_VOLUME).withMountPath(StoreFlags.CLIENT_TLS_DIR)
          .withReadOnly(true).build());
    }
    if (tls != null && tls.peerSecretName() != null) {
      mounts.add(new VolumeMountBuilder().withName(PEER_TLS_VOLUME).withMountPath(StoreFlags.PEER_TLS_DIR)
          .withReadOnly(true).build());
    }
    return mounts;
  }

  private static List<Volume> tlsVolumes(TlsSpec tls) {
    List<Volume> volumes = new ArrayList<>();
    if (tls != null && tls.clientSecretName() != null) {
      volumes.add(secretVolume(CLIENT_TLS_VOLUME, tls.clientSecretName()));
    }
    if (tls != null && tls.peerSecretName() != null) {
      volumes.add(secretVolume(PEER_TLS_VOLUME, tls.peerSecretName()));
    }
    return volumes;
  }

  private static Volume secretVolume(String name, String secret) {
    return new VolumeBuilder().withName(name)
        .withNewSecret().withSecretName(secret).withDefaultMode(0400).endSecret()
        .build();
  }
}
