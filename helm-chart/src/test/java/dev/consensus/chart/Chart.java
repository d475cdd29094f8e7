package dev.consensus.chart;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The chart under helm/, rendered with helm-java (Helm's own code, no binary) and parsed into fabric8 objects. */
final class Chart {

  static final String RELEASE = "ops";
  static final String NAMESPACE = "consensus-system";
  /**
   * The API server version templates are rendered for: helm template has no cluster to ask, and Helm's
   * default (1.20) is below the chart's kubeVersion (>=1.25, the first with the restricted Pod Security
   * Standard enforced by the built-in admission).
   */
  static final String KUBE_VERSION = "1.31.0";

  private Chart() {
  }

  static Path dir() {
    return Path.of(System.getProperty("chart.dir", "../helm/consensus-operator")).toAbsolutePath().normalize();
  }

  /**
   * {@code helm template ops CHART -n consensus-system --kube-version 1.31.0 --set k=v...}: the objects, in
   * Helm's order. A list is set one element at a time ({@code watchNamespaces[0]}): helm-java passes each
   * value on its own, so {@code {a,b}} would arrive as one string.
   */
  static Rendered render(Map<String, String> values) {
    return render(RELEASE, values);
  }

  static Rendered render(String release, Map<String, String> values) {
    return render(release, values, KUBE_VERSION);
  }

  static Rendered render(String release, Map<String, String> values, String kubeVersion) {
    TemplateCommand template = new Helm(dir()).template().withName(release).withNamespace(NAMESPACE)
        .withKubeVersion(kubeVersion);
    values.forEach(template::set);
    return parse(template.call());
  }

  /** {@code helm template ... -f FILE}: numbers in a values file reach templates as floats, unlike --set's. */
  static Rendered render(Path valuesFile) {
    return parse(new Helm(dir()).template().withName(RELEASE).withNamespace(NAMESPACE).withKubeVersion(KUBE_VERSION)
        .withValuesFile(valuesFile).call());
  }

  private static Rendered parse(String yaml) {
    List<HasMetadata> objects = new ArrayList<>();
    for (String doc : yaml.split("(?m)^---\\s*$")) {
      boolean empty = doc.lines().map(String::strip).allMatch(l -> l.isEmpty() || l.startsWith("#"));
      if (!empty) {
        objects.add((HasMetadata) Serialization.unmarshal(doc, KubernetesResource.class));
      }
    }
    return new Rendered(objects);
  }

  static Rendered render() {
    return render(Map.of());
  }

  record Rendered(List<HasMetadata> objects) {

    <T extends HasMetadata> List<T> all(Class<T> type) {
      return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> T one(Class<T> type) {
      List<T> found = all(type);
      if (found.size() != 1) {
        throw new AssertionError("expected one " + type.getSimpleName() + ", rendered " + found.size());
      }
      return found.get(0);
    }

    Optional<HasMetadata> kind(String kind) {
      return objects.stream().filter(o -> kind.equals(o.getKind())).findFirst();
    }
  }
}
