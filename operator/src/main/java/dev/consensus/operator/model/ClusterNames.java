package dev.consensus.operator.model;

import dev.consensus.crd.ConsensusCluster;

/**
 * The names of everything the operator creates for one cluster, and the members' stable DNS names.
 * The headless Service carries the cluster's own name so that a member's peer name is as short as
 * it can be: {@code NAME-i.NAME.NAMESPACE.svc}.
 */
public record ClusterNames(String name, String namespace) {

  public static final int CLIENT_PORT = 2379;
  public static final int PEER_PORT = 2380;
  public static final int METRICS_PORT = 2381;

  public static ClusterNames of(ConsensusCluster cluster) {
    return new ClusterNames(cluster.getMetadata().getName(), cluster.getMetadata().getNamespace());
  }

  public String statefulSet() {
    return name;
  }

  public String headlessService() {
    return name;
  }

  public String clientService() {
    return name + "-client";
  }

  /** The ConfigMap holding the initial cluster a starting member reads. */
  public String clusterConfigMap() {
    return name + "-cluster";
  }

  public String podDisruptionBudget() {
    return name;
  }

  /** Member {@code ordinal}'s name: its pod's name, which is also its etcd member name. */
  public String member(int ordinal) {
    return name + "-" + ordinal;
  }

  /** The stable DNS name of member {@code ordinal} under the headless Service. */
  public String memberHost(int ordinal) {
    return memberHost(member(ordinal));
  }

  /** The stable DNS name of a member given its name ({@code $(POD_NAME)} works too, inside the pod spec). */
  public String memberHost(String memberName) {
    return memberName + "." + headlessService() + "." + namespace + ".svc";
  }

  /** The client Service's DNS name, for clients inside the cluster. */
  public String clientHost() {
    return clientService() + "." + namespace + ".svc";
  }

  /**
   * The ordinal a member name carries, or -1 when it is not one of this cluster's member names; the
   * way back from a member list (whose unstarted members have no name yet, only a peer URL) to a pod.
   */
  public int ordinalOf(String memberName) {
    String prefix = name + "-";
    if (memberName == null || !memberName.startsWith(prefix)) {
      return -1;
    }
    String digits = memberName.substring(prefix.length());
    if (digits.isEmpty() || digits.length() > 2 || !digits.chars().allMatch(Character::isDigit)) {
      return -1;
    }
    return Integer.parseInt(digits);
  }
}
