package dev.consensus.e2e.k3s;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import dev.consensus.operator.reconcile.ReconcilerConfig;
import dev.consensus.operator.runtime.OperatorOptions;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The values the k3s backend installs the chart with, rendered by Helm's own code (helm-java's
 * {@code helm template}, no cluster): the operator runs the imported image and the tests' waits.
 */
class OperatorReleaseTest {

  private static final Path REPO = Path.of(System.getProperty("e2e.root", "..")).toAbsolutePath().normalize();
  private static final Images IMAGES = Images.fromBuild(REPO, "ghcr.io/consensus-dev", "0.1.0");
  private static final OperatorRelease RELEASE = OperatorRelease.forTests(REPO.resolve("helm/consensus-operator"), IMAGES);

  private static Container operatorContainer() {
    TemplateCommand template = new Helm(RELEASE.chart()).template().withName(RELEASE.release())
        .withNamespace(RELEASE.namespace()).withKubeVersion("1.31.0");
    RELEASE.values().forEach(template::set);
    List<HasMetadata> objects = new ArrayList<>();
    for (String doc : template.call().split("(?m)^---\\s*$")) {
      if (!doc.lines().map(String::strip).allMatch(l -> l.isEmpty() || l.startsWith("#"))) {
        objects.add((HasMetadata) Serialization.unmarshal(doc, KubernetesResource.class));
      }
    }
    List<Deployment> deployments = objects.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast)
        .toList();
    assertThat(deployments).hasSize(1);
    return deployments.getFirst().getSpec().getTemplate().getSpec().getContainers().getFirst();
  }

  @Test
  void the_operator_runs_the_imported_image_and_never_pulls_it() {
    Container container = operatorContainer();
    assertThat(container.getImage()).isEqualTo(IMAGES.operatorReference());
    assertThat(container.getImagePullPolicy()).isEqualTo("Never");
  }

  @Test
  void the_operator_gets_the_tests_reconciler_waits_as_flags_it_accepts() {
    List<String> args = operatorContainer().getArgs();
    assertThat(args).contains("--caught-up-hold=PT0.5S", "--catch-up-deadline=PT90S", "--requeue=PT0.5S",
        "--call-timeout=PT2S");
    // The operator's own parser accepts the whole command line the chart renders.
    ReconcilerConfig reconciler = OperatorOptions.parse(args).reconciler();
    assertThat(reconciler.caughtUpHold()).isEqualTo(Duration.ofMillis(500));
    assertThat(reconciler.catchUpDeadline()).isEqualTo(Duration.ofSeconds(90));
    assertThat(reconciler.requeue()).isEqualTo(Duration.ofMillis(500));
    assertThat(reconciler.callTimeout()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void the_values_are_set_in_a_fixed_order() {
    assertThat(RELEASE.values().keySet()).containsExactly("image.repository", "image.tag", "image.pullPolicy",
        "logLevel", "reconciler.callTimeout", "reconciler.catchUpDeadline", "reconciler.caughtUpHold",
        "reconciler.requeue");
  }
}
