package dev.consensus.chart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.consensus.operator.runtime.LeaseTiming;
import dev.consensus.operator.runtime.OperatorOptions;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chart's Deployment, Services and labels as rendered, with default and with changed values. */
class ChartRenderTest {

  private final Chart.Rendered defaults = Chart.render();

  @Test
  void defaults_render_the_operator_its_account_its_rbac_and_the_metrics_service() {
    assertThat(defaults.objects().stream().map(HasMetadata::getKind))
        .containsExactlyInAnyOrder("ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding",
            "Service", "Deployment");
    assertThat(defaults.kind("ServiceMonitor")).isEmpty();
    Deployment deployment = defaults.one(Deployment.class);
    assertThat(deployment.getMetadata().getNamespace()).isEqualTo(Chart.NAMESPACE);
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
    assertThat(pod(deployment).getServiceAccountName())
        .isEqualTo(defaults.one(ServiceAccount.class).getMetadata().getName());
    assertThat(container(deployment).getImage()).isEqualTo("ghcr.io/consensus-dev/consensus-operator:0.1.0");
    assertThat(container(deployment).getResources().getRequests()).containsKeys("cpu", "memory");
  }

  @Test
  void the_release_the_docs_install_names_its_objects_as_the_docs_say() {
    // docs/install.md: helm install consensus-operator ... then rollout status deployment/consensus-operator
    Chart.Rendered rendered = Chart.render("consensus-operator", Map.of());
    assertThat(rendered.one(Deployment.class).getMetadata().getName()).isEqualTo("consensus-operator");
    assertThat(rendered.one(Service.class).getMetadata().getName()).isEqualTo("consensus-operator-metrics");
    assertThat(defaults.one(Deployment.class).getMetadata().getName()).isEqualTo("ops-consensus-operator");
  }

  @Test
  void every_object_carries_the_recommended_labels() {
    for (HasMetadata o : defaults.objects()) {
      assertThat(o.getMetadata().getLabels()).as(o.getKind() + " " + o.getMetadata().getName())
          .containsEntry("app.kubernetes.io/name", "consensus-operator")
          .containsEntry("app.kubernetes.io/instance", Chart.RELEASE)
          .containsEntry("app.kubernetes.io/version", "0.1.0")
          .containsEntry("app.kubernetes.io/component", "operator")
          .containsEntry("app.kubernetes.io/part-of", "consensus")
          .containsEntry("app.kubernetes.io/managed-by", "Helm")
          .containsEntry("helm.sh/chart", "consensus-operator-0.1.0");
    }
  }

  @Test
  void the_selectors_pick_the_operators_pods_by_labels_that_never_change() {
    Deployment deployment = defaults.one(Deployment.class);
    Map<String, String> selector = deployment.getSpec().getSelector().getMatchLabels();
    assertThat(selector).containsOnlyKeys("app.kubernetes.io/name", "app.kubernetes.io/instance");
    assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(selector);
    assertThat(defaults.one(Service.class).getSpec().getSelector()).isEqualTo(selector);
  }

  @Test
  void the_pod_meets_the_restricted_pod_security_standard() {
    Deployment deployment = defaults.one(Deployment.class);
    PodSpec pod = pod(deployment);
    PodSecurityContext podContext = pod.getSecurityContext();
    assertThat(podContext.getRunAsNonRoot()).isTrue();
    assertThat(podContext.getRunAsUser()).isNotZero();
    assertThat(podContext.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(pod.getHostNetwork()).isNotEqualTo(Boolean.TRUE);
    assertThat(pod.getHostPID()).isNotEqualTo(Boolean.TRUE);
    assertThat(pod.getHostIPC()).isNotEqualTo(Boolean.TRUE);
    assertThat(pod.getVolumes()).allSatisfy(v -> assertThat(v.getHostPath()).isNull());
    for (Container c : pod.getContainers()) {
      SecurityContext sc = c.getSecurityContext();
      assertThat(sc.getAllowPrivilegeEscalation()).as(c.getName()).isFalse();
      assertThat(sc.getPrivileged()).as(c.getName()).isNotEqualTo(Boolean.TRUE);
      assertThat(sc.getReadOnlyRootFilesystem()).as(c.getName()).isTrue();
      assertThat(sc.getRunAsNonRoot()).as(c.getName()).isTrue();
      assertThat(sc.getCapabilities().getDrop()).as(c.getName()).containsExactly("ALL");
      assertThat(sc.getCapabilities().getAdd()).as(c.getName()).isNullOrEmpty();
      assertThat(sc.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
      assertThat(c.getPorts()).allSatisfy(p -> assertThat(p.getHostPort()).isNull());
    }
  }

  @Test
  void probes_and_the_metrics_service_use_the_operators_probe_port() {
    Chart.Rendered rendered = Chart.render(Map.of("probePort", "9090"));
    Deployment deployment = rendered.one(Deployment.class);
    Container c = container(deployment);
    assertThat(c.getPorts()).singleElement().satisfies(p -> {
      assertThat(p.getName()).isEqualTo("http");
      assertThat(p.getContainerPort()).isEqualTo(9090);
    });
    assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(c.getStartupProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(List.of(c.getLivenessProbe(), c.getStartupProbe(), c.getReadinessProbe()))
        .allSatisfy(p -> assertThat(p.getHttpGet().getPort().getStrVal()).isEqualTo("http"));
    assertThat(OperatorOptions.parse(c.getArgs()).probePort()).isEqualTo(9090);
    Service metrics = rendered.one(Service.class);
    assertThat(metrics.getSpec().getPorts()).singleElement().satisfies(p -> {
      assertThat(p.getName()).isEqualTo("metrics");
      assertThat(p.getPort()).isEqualTo(9090);
      assertThat(p.getTargetPort().getStrVal()).isEqualTo("http");
    });
  }

  @Test
  void the_operator_accepts_the_args_the_chart_gives_it() {
    OperatorOptions options = OperatorOptions.parse(container(defaults.one(Deployment.class)).getArgs());
    assertThat(options.leaderElection()).isTrue();
    assertThat(options.leaseName()).isEqualTo("consensus-operator");
    assertThat(options.leaseNamespace()).isEqualTo(Chart.NAMESPACE);
    assertThat(options.watchNamespaces()).isEmpty();

    OperatorOptions tuned = OperatorOptions.parse(container(Chart.render(Map.of(
        "reconciler.catchUpDeadline", "PT20M", "reconciler.callTimeout", "3", "reconciler.maxLearnerLag", "500",
        "leaderElection.leaseName", "ops-lease", "leaderElection.leaseDuration", "PT30S",
        "leaderElection.renewDeadline", "20", "leaderElection.retryPeriod", "4",
        "watchNamespaces[0]", "team-a", "watchNamespaces[1]", "team-b"))
        .one(Deployment.class)).getArgs());
    assertThat(tuned.reconciler().catchUpDeadline()).hasMinutes(20);
    assertThat(tuned.reconciler().callTimeout()).hasSeconds(3);
    assertThat(tuned.reconciler().maxLearnerLag()).isEqualTo(500);
    assertThat(tuned.leaseName()).isEqualTo("ops-lease");
    assertThat(tuned.leaseTiming()).isEqualTo(new LeaseTiming(Duration.ofSeconds(30), Duration.ofSeconds(20),
        Duration.ofSeconds(4)));
    assertThat(tuned.watchNamespaces()).containsExactlyInAnyOrder("team-a", "team-b");
  }

  @Test
  void numbers_from_a_values_file_reach_the_operator_as_it_reads_them(@TempDir Path dir) throws IOException {
    // A values file's numbers are floats to the templates: 1000000 would print as 1e+06 unformatted.
    Path values = Files.writeString(dir.resolve("values.yaml"), """
        replicaCount: 2
        probePort: 9090
        reconciler:
          maxLearnerLag: 1000000
          callTimeout: 3
          catchUpDeadline: 1200
          caughtUpHold: PT1M30S
        """);
    Deployment deployment = Chart.render(values).one(Deployment.class);
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    OperatorOptions options = OperatorOptions.parse(container(deployment).getArgs());
    assertThat(options.probePort()).isEqualTo(9090);
    assertThat(options.reconciler().maxLearnerLag()).isEqualTo(1_000_000);
    assertThat(options.reconciler().callTimeout()).hasSeconds(3);
    assertThat(options.reconciler().catchUpDeadline()).hasMinutes(20);
    assertThat(options.reconciler().caughtUpHold()).hasSeconds(90);
  }

  @Test
  void the_log_level_reaches_the_jvm() {
    Container c = container(Chart.render(Map.of("logLevel", "debug")).one(Deployment.class));
    assertThat(c.getEnv().stream().collect(Collectors.toMap(e -> e.getName(), e -> e.getValue())))
        .containsEntry("JAVA_TOOL_OPTIONS", "-Dorg.slf4j.simpleLogger.defaultLogLevel=debug");
  }

  @Test
  void several_replicas_run_with_leader_election() {
    Deployment deployment = Chart.render(Map.of("replicaCount", "3")).one(Deployment.class);
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(3);
    assertThat(OperatorOptions.parse(container(deployment).getArgs()).leaderElection()).isTrue();
  }

  @Test
  void the_service_monitor_is_off_by_default_and_scrapes_the_metrics_service_when_on() {
    Chart.Rendered rendered = Chart.render(Map.of("metrics.serviceMonitor.enabled", "true",
        "metrics.serviceMonitor.labels.release", "prometheus"));
    GenericKubernetesResource monitor = (GenericKubernetesResource) rendered.kind("ServiceMonitor").orElseThrow();
    assertThat(monitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "prometheus");
    Service service = rendered.one(Service.class);
    Map<String, Object> spec = monitor.get("spec");
    assertThat(monitor.<Map<String, String>>get("spec", "selector", "matchLabels"))
        .isEqualTo(service.getSpec().getSelector());
    assertThat(service.getMetadata().getLabels()).containsAllEntriesOf(service.getSpec().getSelector());
    assertThat(spec.get("endpoints").toString()).contains("port=metrics").contains("path=/metrics");
  }

  @Test
  void the_metrics_service_can_be_left_out() {
    assertThat(Chart.render(Map.of("metrics.service.enabled", "false")).all(Service.class)).isEmpty();
  }

  static PodSpec pod(Deployment deployment) {
    return deployment.getSpec().getTemplate().getSpec();
  }

  static Container container(Deployment deployment) {
    return pod(deployment).getContainers().get(0);
  }
}
