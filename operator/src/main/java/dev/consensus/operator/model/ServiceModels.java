package dev.consensus.operator.model;

import dev.consensus.crd.ConsensusCluster;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;

/** The two Services of a cluster. */
public final class ServiceModels {

  private ServiceModels() {
  }

  /**
   * The headless Service that gives each member its stable DNS name ({@code NAME-i.NAME.NS.svc}).
   * It publishes members that are not ready: a member must resolve its peers' names, and they its
   * own, before it has caught up, or a joining learner could never become ready.
   */
  public static Service headless(ConsensusCluster cluster) {
    return new ServiceBuilder()
        .withMetadata(ObjectMetas.owned(cluster, ClusterNames.of(cluster).headlessService()))
        .withNewSpec()
          .withClusterIP("None")
          .withPublishNotReadyAddresses(true)
          .withSelector(Labels.selector(cluster))
          .withPorts(port("peer", ClusterNames.PEER_PORT), port("client", ClusterNames.CLIENT_PORT))
        .endSpec()
        .build();
  }

  /** The client Service: one stable address over the ready members, for applications. */
  public static Service client(ConsensusCluster cluster) {
    return new ServiceBuilder()
        .withMetadata(ObjectMetas.owned(cluster, ClusterNames.of(cluster).clientService()))
        .withNewSpec()
          .withType("ClusterIP")
          .withSelector(Labels.selector(cluster))
          .withPorts(port("client", ClusterNames.CLIENT_PORT))
        .endSpec()
        .build();
  }

  private static ServicePort port(String name, int port) {
    return new ServicePortBuilder()
        .withName(name)
        .withPort(port)
        .withTargetPort(new IntOrString(name))
        .withProtocol("TCP")
        .build();
  }
}
