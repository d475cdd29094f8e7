package dev.consensus.e2e.k3s;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The operator installed from helm/consensus-operator with helm-java, as a user would run
 * {@code helm install}, with the values that make it fit a test cluster: the image imported from
 * {@code make images} (never pulled) and reconciler waits short enough for tests.
 *
 * @param chart the chart's directory
 * @param release the release name
 * @param namespace the release's namespace (the Lease's too)
 * @param operatorImageRepository the operator image, without tag
 * @param tag the operator image's tag
 * @param reconciler the chart's {@code reconciler.*} values (e.g. {@code requeue: PT0.5S})
 */
public record OperatorRelease(Path chart, String release, String namespace, String operatorImageRepository,
    String tag, Map<String, String> reconciler) {

  /** The bound of {@code helm install --wait}: the image is local, so this is the JVM's start and the probe. */
  public static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(5);

  /**
   * The reconciler's waits for tests, as the local harness's operator flags: a catch-up deadline long
   * enough for a member's JVM to start on a loaded machine, short polls otherwise.
   */
  public static final Map<String, String> TEST_RECONCILER = Map.of(
      "caughtUpHold", "PT0.5S",
      "catchUpDeadline", "PT90S",
      "requeue", "PT0.5S",
      "callTimeout", "PT2S");

  public OperatorRelease {
    reconciler = Map.copyOf(reconciler);
  }

  public static OperatorRelease forTests(Path chart, Images images) {
    return new OperatorRelease(chart, "consensus-operator", "consensus-system", images.operatorRepository(),
        images.tag(), TEST_RECONCILER);
  }

  /**
   * The {@code --set} values, in a fixed order. {@code pullPolicy: Never}: the image was imported into
   * k3s's containerd, and a pull from the registry must not hide a missing import.
   */
  public Map<String, String> values() {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("image.repository", operatorImageRepository);
    values.put("image.tag", tag);
    values.put("image.pullPolicy", "Never");
    values.put("logLevel", "debug");
    reconciler.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(e -> values.put("reconciler." + e.getKey(), e.getValue()));
    return values;
  }

  /** {@code helm install RELEASE CHART -n NAMESPACE --create-namespace --wait --timeout 5m --set ...}. */
  public void install(Path kubeconfig) {
    InstallCommand install = new Helm(chart).install().withName(release).withNamespace(namespace)
        .createNamespace().waitReady().withTimeout((int) INSTALL_TIMEOUT.toSeconds()).withKubeConfig(kubeconfig);
    values().forEach(install::set);
    install.call();
  }
}
