package dev.consensus.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.consensus.crd.ConsensusCluster;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRule;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRuleBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The other half of keeping the RBAC honest: where {@code OperatorApiCallsTest} reads the operator's
 * sources, this runs it. {@code OperatorMain} is started as a real process with the args the chart's
 * Deployment gives it, against fabric8's mock API server in CRUD mode, with the chart's example cluster
 * to reconcile; every request it makes (the informer, leader election, the reconciler's bootstrap,
 * events, the status patch) is recorded and must be allowed by the rules and bindings the chart renders.
 * No member answers (no pods run here), so this covers the bootstrap's calls, not the membership
 * steps'; those are covered by the source scan.
 */
@EnableKubernetesMockClient(crud = true)
class OperatorRequestsTest {

  static KubernetesMockServer server;
  static KubernetesClient client;

  // A safety stop, not a timing: a loaded two-core machine has needed over a minute to start the JVM and bootstrap.
  private static final Duration BOUND = Duration.ofSeconds(240);

  @TempDir
  Path dir;

  @BeforeAll
  static void installCrd() throws IOException {
    try (InputStream in = Files.newInputStream(Chart.dir().resolve("crds/consensusclusters.consensus.dev-v1.yml"))) {
      client.resource(client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class)).create();
    }
  }

  @Test
  void cluster_wide_with_leader_election_every_request_is_granted_by_the_chart() throws Exception {
    Set<Access> made = run(Map.of(), "shop");
    assertThat(made).as("the run reached the informer, the Lease and the bootstrap").contains(
        new Access("list", "consensus.dev", "consensusclusters", null),
        new Access("watch", "consensus.dev", "consensusclusters", null),
        new Access("get", "coordination.k8s.io", "leases", Chart.NAMESPACE),
        new Access("create", "coordination.k8s.io", "leases", Chart.NAMESPACE),
        new Access("create", "apps", "statefulsets", "shop"),
        new Access("create", "", "events", "shop"),
        new Access("patch", "consensus.dev", "consensusclusters/status", "shop"));
  }

  @Test
  void one_watched_namespace_without_leader_election_every_request_is_granted_by_the_chart() throws Exception {
    Set<Access> made = run(Map.of("watchNamespaces[0]", "billing", "leaderElection.enabled", "false"), "billing");
    assertThat(made).as("the informer lists in the watched namespace only").contains(
        new Access("list", "consensus.dev", "consensusclusters", "billing"),
        new Access("watch", "consensus.dev", "consensusclusters", "billing"),
        new Access("create", "apps", "statefulsets", "billing"),
        new Access("patch", "consensus.dev", "consensusclusters/status", "billing"));
    assertThat(made).noneMatch(a -> a.resource().equals("leases"));
  }

  /** Runs the operator until it has bootstrapped the example in {@code namespace}; returns what it asked. */
  private Set<Access> run(Map<String, String> values, String namespace) throws Exception {
    Chart.Rendered chart = Chart.render(values);
    answerLeaseAccessCheck(chart);
    drainRequests();
    ConsensusCluster example = client.getKubernetesSerialization().unmarshal(
        Files.readString(Chart.dir().resolve("examples/consensuscluster.yaml")), ConsensusCluster.class);
    example.getMetadata().setNamespace(namespace);
    client.resource(example).create();

    Path log = dir.resolve("operator.log");
    Process operator = start(chart, log);
    try {
      awaitOrFail(() -> example(namespace).getStatus() != null
          && !client.v1().events().inNamespace(namespace).list().getItems().isEmpty()
          && client.apps().statefulSets().inNamespace(namespace).list().getItems().size() == 1, operator, log);
    } finally {
      stop(operator);
    }

    Set<Access> made = new TreeSet<>();
    List<String> refused = new ArrayList<>();
    List<String> timeline = new ArrayList<>();
    RecordedRequest request;
    while ((request = server.takeRequest(200, TimeUnit.MILLISECONDS)) != null) {
      if (!fromOperator(request)) {
        continue; // this test's own setup and polling
      }
      Access access = Access.of(request.getMethod(), request.getPath());
      if (access == null) {
        continue; // discovery and /version: every authenticated account may read them
      }
      made.add(access);
      timeline.add(request.getMethod() + " " + request.getPath());
      if (!granted(chart, access)) {
        refused.add(request.getMethod() + " " + request.getPath() + " -> " + access);
      }
    }
    // Kept for reading: the operator's requests in order.
    Files.write(Path.of("target", "operator-requests-" + namespace + ".log"), timeline);
    assertThat(refused).as("requests the operator made that the chart's RBAC would refuse").isEmpty();
    return made;
  }

  private ConsensusCluster example(String namespace) {
    return client.resources(ConsensusCluster.class).inNamespace(namespace).withName("demo").get();
  }

  /**
   * java-operator-sdk checks its Lease permissions with a SelfSubjectRulesReview before electing; the mock
   * has no authorizer, so it answers what an API server would for the chart's Role.
   */
  private static void answerLeaseAccessCheck(Chart.Rendered chart) {
    if (chart.all(Role.class).isEmpty()) {
      return; // no leader election: no check (and an answer left queued would mislead the next run)
    }
    List<ResourceRule> rules = new ArrayList<>();
    for (Role role : chart.all(Role.class)) {
      for (PolicyRule r : role.getRules()) {
        rules.add(new ResourceRuleBuilder().withApiGroups(r.getApiGroups()).withResources(r.getResources())
            .withVerbs(r.getVerbs()).build());
      }
    }
    server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
        .andReturn(201, new SelfSubjectRulesReviewBuilder().withNewSpec().withNamespace(Chart.NAMESPACE).endSpec()
            .withNewStatus().withResourceRules(rules).withIncomplete(false).endStatus().build())
        .once();
  }

  /** The operator process's User-Agent, which tells its requests from this test's own (setup, polling). */
  private static final String OPERATOR_AGENT = "consensus-operator-under-test";

  private static boolean fromOperator(RecordedRequest request) {
    return OPERATOR_AGENT.equals(request.getHeader("User-Agent"));
  }

  private static void drainRequests() throws InterruptedException {
    while (server.takeRequest(50, TimeUnit.MILLISECONDS) != null) {
      // requests of earlier runs and of the set-up
    }
  }

  private static Process start(Chart.Rendered chart, Path log) throws IOException {
    Deployment deployment = chart.one(Deployment.class);
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"),
        "-Xmx256m", "-XX:TieredStopAtLevel=1",
        "-Dkubernetes.master=" + client.getMasterUrl(),
        "-Dkubernetes.trust.certificates=true",
        "-Dkubernetes.auth.tryKubeConfig=false",
        "-Dkubernetes.auth.tryServiceAccount=false",
        "-Dkubernetes.namespace=" + Chart.NAMESPACE,
        "-Dkubernetes.user.agent=" + OPERATOR_AGENT,
        "-Dorg.slf4j.simpleLogger.logFile=System.err",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
        "dev.consensus.operator.runtime.OperatorMain"));
    for (String arg : deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs()) {
      // An OS-chosen probe port; the chart's 8080 may be taken on a shared machine.
      command.add(arg.startsWith("--probe-port=") ? "--probe-port=0" : arg);
    }
    command.add("--call-timeout=1");
    command.add("--requeue=1");
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  /** Waits for {@code done}; fails at once, with the operator's log, if the operator exits first. */
  private static void awaitOrFail(BooleanSupplier done, Process operator, Path log) throws Exception {
    try {
      await().atMost(BOUND).pollInterval(Duration.ofMillis(200)).until(() -> {
        if (!operator.isAlive()) {
          throw new AssertionError("the operator exited before it bootstrapped the example; its log:\n" + tail(log));
        }
        return done.getAsBoolean();
      });
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("the operator did not bootstrap the example within " + BOUND + "; its log:\n"
          + tail(log), e);
    }
  }

  private static void stop(Process operator) throws InterruptedException {
    operator.destroy();
    if (!operator.waitFor(15, TimeUnit.SECONDS)) {
      operator.destroyForcibly();
      operator.waitFor(15, TimeUnit.SECONDS);
    }
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }

  /** Whether a binding the chart renders gives the operator's account this access. */
  private static boolean granted(Chart.Rendered chart, Access a) {
    for (ClusterRoleBinding b : chart.all(ClusterRoleBinding.class)) {
      if (allows(clusterRoleRules(chart, b.getRoleRef().getName()), a)) {
        return true;
      }
    }
    if (a.namespace() == null) {
      return false;
    }
    for (RoleBinding b : chart.all(RoleBinding.class)) {
      if (!a.namespace().equals(b.getMetadata().getNamespace())) {
        continue;
      }
      List<PolicyRule> rules = b.getRoleRef().getKind().equals("ClusterRole")
          ? clusterRoleRules(chart, b.getRoleRef().getName())
          : chart.all(Role.class).stream().filter(r -> r.getMetadata().getName().equals(b.getRoleRef().getName())
              && r.getMetadata().getNamespace().equals(b.getMetadata().getNamespace()))
              .flatMap(r -> r.getRules().stream()).toList();
      if (allows(rules, a)) {
        return true;
      }
    }
    return false;
  }

  private static List<PolicyRule> clusterRoleRules(Chart.Rendered chart, String name) {
    return chart.all(ClusterRole.class).stream().filter(r -> r.getMetadata().getName().equals(name))
        .flatMap(r -> r.getRules().stream()).toList();
  }

  private static boolean allows(List<PolicyRule> rules, Access a) {
    return rules.stream().anyMatch(r -> r.getApiGroups().contains(a.group()) && r.getResources().contains(a.resource())
        && r.getVerbs().contains(a.verb()) && (r.getResourceNames() == null || r.getResourceNames().isEmpty()));
  }

  /** One request as RBAC sees it: verb, API group, resource (with subresource), namespace (null: cluster). */
  record Access(String verb, String group, String resource, String namespace) implements Comparable<Access> {

    /** Null for requests that are not about a resource (discovery, /version) or that anyone may make. */
    static Access of(String method, String path) {
      URI uri = URI.create(path);
      List<String> p = List.of(uri.getPath().replaceFirst("^/", "").split("/"));
      int i;
      String group;
      if (p.get(0).equals("api") && p.size() > 2) {
        group = "";
        i = 2;
      } else if (p.get(0).equals("apis") && p.size() > 3) {
        group = p.get(1);
        i = 3;
      } else {
        return null;
      }
      String namespace = null;
      if (p.get(i).equals("namespaces") && p.size() > i + 2) {
        namespace = p.get(i + 1);
        i += 2;
      }
      String resource = p.get(i);
      String name = p.size() > i + 1 ? p.get(i + 1) : null;
      if (p.size() > i + 2) {
        resource += "/" + p.get(i + 2);
      }
      if (group.equals("authorization.k8s.io") && resource.startsWith("selfsubject")) {
        return null; // system:basic-user lets every authenticated account ask what it may do
      }
      boolean watch = uri.getQuery() != null && uri.getQuery().contains("watch=true");
      String verb = switch (method) {
        case "GET" -> name != null ? "get" : watch ? "watch" : "list";
        case "POST" -> "create";
        case "PUT" -> "update";
        case "PATCH" -> "patch";
        case "DELETE" -> name != null ? "delete" : "deletecollection";
        default -> method.toLowerCase(java.util.Locale.ROOT);
      };
      return new Access(verb, group, resource, namespace);
    }

    @Override
    public int compareTo(Access o) {
      return toString().compareTo(o.toString());
    }
  }

  /** Kept referenced so the mock server's per-request INFO lines stay off. */
  private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  static {
    MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
  }
}
