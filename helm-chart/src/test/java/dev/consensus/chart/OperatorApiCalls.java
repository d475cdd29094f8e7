package dev.consensus.chart;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Every Kubernetes API call the operator makes, in ONE place: the chart's RBAC rules must grant exactly
 * these permissions ({@code ChartRbacTest}), and {@code OperatorApiCallsTest} ties each entry to the line
 * of operator/src/main that makes it, and every client call in operator/src/main to an entry;
 * {@code OperatorRequestsTest} runs the operator and checks every request it makes against the chart. A new call
 * in the operator fails the build until it is listed here and granted in templates/rbac.yaml.
 */
final class OperatorApiCalls {

  /** Where the call is granted: cluster-wide (or per watched namespace), or in the release's namespace. */
  enum Scope { WATCHED_NAMESPACES, RELEASE_NAMESPACE }

  /**
   * One call site.
   *
   * @param file the source file under operator/src/main/java that makes the call
   * @param code text on the line that makes it (a fabric8 client call, or the framework setting that
   *     makes java-operator-sdk or the API server need it)
   * @param group the API group ("" for core)
   * @param resource the resource, with its subresource when there is one
   * @param verbs the RBAC verbs the call needs
   * @param reason why the operator makes it
   */
  record Call(String file, String code, Scope scope, String group, String resource, List<String> verbs,
      String reason) {
  }

  private static final String RECONCILER = "dev/consensus/operator/reconcile/ConsensusClusterReconciler.java";
  private static final String EXECUTOR = "dev/consensus/operator/reconcile/StepExecutor.java";
  private static final String OBSERVER = "dev/consensus/operator/reconcile/ClusterObserver.java";
  private static final String MAIN = "dev/consensus/operator/runtime/OperatorMain.java";
  private static final String OWNED = "dev/consensus/operator/reconcile/OwnedObjects.java";

  static final List<Call> CALLS = List.of(
      new Call(MAIN, "operator.register(ConsensusClusterReconciler.create(", Scope.WATCHED_NAMESPACES,
          "consensus.dev", "consensusclusters", List.of("list", "watch"),
          "java-operator-sdk's informer on the primary resource: every reconcile starts from it"),
      new Call(RECONCILER, "client.resources(ConsensusCluster.class)",
          Scope.WATCHED_NAMESPACES, "consensus.dev", "consensusclusters/status", List.of("patch"),
          "patchStatus: status is replaced whole by one JSON patch of the status subresource"),
      new Call(RECONCILER, ".patch(PatchContext.of(PatchType.JSON), patch)", Scope.WATCHED_NAMESPACES,
          "consensus.dev", "consensusclusters", List.of("get"),
          "patchStatus: fabric8 reads the resource before it sends a JSON patch (OperatorRequestsTest saw it)"),
      new Call("dev/consensus/operator/model/ObjectMetas.java", ".withBlockOwnerDeletion(true)",
          Scope.WATCHED_NAMESPACES, "consensus.dev", "consensusclusters/finalizers", List.of("update"),
          "every object the operator creates has a controller owner reference with blockOwnerDeletion, which"
              + " the API server's OwnerReferencesPermissionEnforcement admits only with update on the owner's"
              + " finalizers"),
      new Call(OWNED, "Service found = client.resource(desired).get();", Scope.WATCHED_NAMESPACES, "", "services",
          List.of("get"), "ensure: is the headless or client Service there, and as the operator made it?"),
      new Call(OWNED, "client.resource(desired).create();", Scope.WATCHED_NAMESPACES, "", "services",
          List.of("create"), "ensure: create a missing headless or client Service"),
      new Call(OWNED, "if (client.resource(desired).get() == null) {", Scope.WATCHED_NAMESPACES, "", "services",
          List.of("get"), "after deleting a Service to make it anew: is it gone yet?"),
      new Call(OWNED, "client.resource(found).delete();", Scope.WATCHED_NAMESPACES, "", "services",
          List.of("delete"), "a Service whose clusterIP kind drifted cannot be changed in place: delete it to make"
              + " it anew"),
      new Call(OWNED, "client.resource(r.object()).update();", Scope.WATCHED_NAMESPACES, "", "services",
          List.of("update"), "restore the fields of a Service the operator owns (selector, ports, labels) after drift"),
      new Call(OWNED, "PodDisruptionBudget found = client.resource(pdb).get();", Scope.WATCHED_NAMESPACES, "policy",
          "poddisruptionbudgets", List.of("get"), "ensure: is the PodDisruptionBudget there, and as the operator"
              + " made it?"),
      new Call(OWNED, "client.resource(pdb).create();", Scope.WATCHED_NAMESPACES, "policy",
          "poddisruptionbudgets", List.of("create"), "ensure: create a missing PodDisruptionBudget"),
      new Call(OWNED, "client.resource(r.object()).update();", Scope.WATCHED_NAMESPACES, "policy",
          "poddisruptionbudgets", List.of("update"), "restore a drifted PodDisruptionBudget (maxUnavailable, selector,"
              + " labels)"),
      new Call("dev/consensus/operator/reconcile/TlsSecrets.java",
          "client.secrets().inNamespace(ns).withName(name).get()", Scope.WATCHED_NAMESPACES, "", "secrets",
          List.of("get"), "read the client certificate, key and CA named by spec.tls to reach members over TLS"),
      new Call(OBSERVER, "client.apps().statefulSets().inNamespace(ns).withName(names.statefulSet()).get()",
          Scope.WATCHED_NAMESPACES, "apps", "statefulsets", List.of("get"),
          "observe: the StatefulSet's replicas and pod template hash"),
      new Call("dev/consensus/operator/reconcile/AppliedSpec.java", "client.apps().statefulSets()",
          Scope.WATCHED_NAMESPACES, "apps", "statefulsets", List.of("get"),
          "the spec last applied, kept in the StatefulSet's annotation, for ChangeValidator"),
      new Call(EXECUTOR, "client.resource(sts).createOr(existing -> existing.update())", Scope.WATCHED_NAMESPACES,
          "apps", "statefulsets", List.of("create", "update"),
          "bootstrap, scale one member at a time, bring the pod template up to the spec"),
      new Call(OBSERVER, "client.configMaps().inNamespace(ns).withName(names.clusterConfigMap()).get()",
          Scope.WATCHED_NAMESPACES, "", "configmaps", List.of("get"),
          "observe: the initial-cluster ConfigMap members start from"),
      new Call(EXECUTOR, "client.resource(configMap).createOr(existing -> existing.update())",
          Scope.WATCHED_NAMESPACES, "", "configmaps", List.of("create", "update"),
          "write the initial-cluster ConfigMap before a member is started or joins"),
      new Call(OBSERVER, "client.pods().inNamespace(ns).withLabels(Labels.selector(cluster)).list()",
          Scope.WATCHED_NAMESPACES, "", "pods", List.of("list"), "observe: the member pods and their template hash"),
      new Call(EXECUTOR, "client.pods().inNamespace(ns).withName(names.member(w.ordinal())).delete()",
          Scope.WATCHED_NAMESPACES, "", "pods", List.of("delete"),
          "wipe a member that lost its data, so it rejoins empty"),
      new Call(EXECUTOR, "client.pods().inNamespace(ns).withName(names.member(r.ordinal())).delete()",
          Scope.WATCHED_NAMESPACES, "", "pods", List.of("delete"),
          "rolling restart (the StatefulSet's update strategy is OnDelete)"),
      new Call(OBSERVER, "client.persistentVolumeClaims().inNamespace(ns).list()", Scope.WATCHED_NAMESPACES, "",
          "persistentvolumeclaims", List.of("list"), "observe: the members' data-NAME-i claims"),
      new Call(EXECUTOR, "case Step.MarkClaim mark -> client.persistentVolumeClaims().inNamespace(ns)",
          Scope.WATCHED_NAMESPACES, "", "persistentvolumeclaims", List.of("patch"),
          "mark a claim with the member ID whose data it holds (a merge patch of one annotation)"),
      new Call(EXECUTOR, "client.persistentVolumeClaims().inNamespace(ns).withName(claimName(names, d.ordinal()))"
          + ".delete()", Scope.WATCHED_NAMESPACES, "", "persistentvolumeclaims", List.of("delete"),
          "after a scale-in, delete the removed member's claim so a later member starts clean"),
      new Call(EXECUTOR, "client.persistentVolumeClaims().inNamespace(ns).withName(claimName(names, w.ordinal()))"
          + ".delete()", Scope.WATCHED_NAMESPACES, "", "persistentvolumeclaims", List.of("delete"),
          "wipe a member whose data is gone or belongs to another member ID"),
      new Call("dev/consensus/operator/reconcile/ClusterEvents.java", "client.v1().events()",
          Scope.WATCHED_NAMESPACES, "", "events", List.of("create"), "one Event per membership step"),
      new Call(MAIN, "o.withLeaderElectionConfiguration(new LeaderElectionConfiguration(", Scope.RELEASE_NAMESPACE,
          "coordination.k8s.io", "leases", List.of("get", "create", "update", "patch"),
          "leader election: fabric8's LeaseLock reads and creates the Lease and renews it with a patch"
              + " (OperatorRequestsTest saw it); java-operator-sdk refuses to start without get, create and"
              + " update"));

  private OperatorApiCalls() {
  }

  /** "group/resource verb" strings, one per permission, for one scope. */
  static Set<String> permissions(Scope scope) {
    Set<String> out = new LinkedHashSet<>();
    for (Call c : CALLS) {
      if (c.scope() == scope) {
        c.verbs().forEach(v -> out.add(permission(c.group(), c.resource(), v)));
      }
    }
    return out;
  }

  static String permission(String group, String resource, String verb) {
    return (group.isEmpty() ? "core" : group) + "/" + resource + " " + verb;
  }
}
