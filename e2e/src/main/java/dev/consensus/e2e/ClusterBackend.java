package dev.consensus.e2e;

import dev.consensus.crd.ConsensusCluster;
import dev.consensus.crd.ConsensusClusterSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * What the scenarios need from a place that runs the operator and its clusters: the local test
 * harness ({@link dev.consensus.e2e.harness.LocalHarness}) here, a k3s cluster later. The scenarios
 * talk only to this and to the members' client endpoints, so every backend runs the same ones.
 * Pods are named by the StatefulSet's rule, {@code NAME-ORDINAL}.
 */
public interface ClusterBackend extends AutoCloseable {

  /** For test output: which backend this is. */
  String describe();

  /** A client of the backend's API server. */
  KubernetesClient client();

  /** Creates the resource, in its namespace, with whatever the backend needs to run its pods. */
  void create(ConsensusCluster cluster);

  /** Replaces the spec of a resource that exists. */
  void editSpec(String namespace, String name, UnaryOperator<ConsensusClusterSpec> change);

  /** Deletes the resource and everything its pods ran; nothing of it is left running. */
  void delete(String namespace, String name);

  /** Deletes a pod, as {@code kubectl delete pod} does; its StatefulSet makes it anew. */
  void deletePod(String namespace, String pod);

  /** Deletes a pod's volume claims, then the pod: the member comes back empty. */
  void deletePodAndClaims(String namespace, String pod);

  /** Kills the member process of a pod with SIGKILL; the pod stays and its container restarts. */
  void killMemberProcess(String namespace, String pod);

  /** Kills a pod's member process and keeps it from starting again (a node down) until {@link #startMember}. */
  void stopMember(String namespace, String pod);

  void startMember(String namespace, String pod);

  /** Stops the operator's process and starts it again. */
  void restartOperator();

  /** The client URLs of the cluster's pods, reachable from the test's process, for etcdctl and gRPC clients. */
  List<String> clientEndpoints(String namespace, String name);

  /** A problem of the backend itself (not of the operator or the members), or null; checked while waiting. */
  Throwable harnessFailure();

  static int ordinal(String pod) {
    return Integer.parseInt(pod.substring(pod.lastIndexOf('-') + 1));
  }
}
