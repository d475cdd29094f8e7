package dev.consensus.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@link OperatorApiCalls} honest by reading the operator's main sources: each listed call is made
 * where it says, and every fabric8 client call the operator makes is listed. A call added to the operator
 * without a line in the list (and so a rule in the chart) fails here.
 */
class OperatorApiCallsTest {

  /** A method called on the fabric8 client: {@code client.pods(}, {@code client.resource(}... */
  private static final Pattern CLIENT_CALL = Pattern.compile("\\bclient\\.[a-z]\\w*\\(");
  private static final Pattern CLIENT_VARIABLE = Pattern.compile("\\bKubernetesClient\\s+(\\w+)");

  private final Map<String, String> sources = sources();

  @Test
  void every_listed_call_is_made_where_the_list_says() {
    for (OperatorApiCalls.Call call : OperatorApiCalls.CALLS) {
      assertThat(sources).as("operator source file of %s", call).containsKey(call.file());
      assertThat(sources.get(call.file())).as("%s makes %s %s", call.file(), call.resource(), call.verbs())
          .contains(call.code());
    }
  }

  @Test
  void every_client_call_in_the_operator_is_listed() {
    List<String> unlisted = new ArrayList<>();
    sources.forEach((file, text) -> {
      String[] lines = text.split("\n");
      for (int i = 0; i < lines.length; i++) {
        String line = lines[i];
        if (line.strip().startsWith("import ") || !CLIENT_CALL.matcher(line).find()) {
          continue;
        }
        boolean listed = OperatorApiCalls.CALLS.stream()
            .anyMatch(c -> c.file().equals(file) && line.contains(c.code()));
        if (!listed) {
          unlisted.add(file + ":" + (i + 1) + ": " + line.strip());
        }
      }
    });
    assertThat(unlisted).as("fabric8 client calls missing from OperatorApiCalls (and from the chart's RBAC)")
        .isEmpty();
  }

  @Test
  void the_client_is_only_held_as_client_in_files_whose_calls_are_listed() {
    Set<String> listedFiles = OperatorApiCalls.CALLS.stream().map(OperatorApiCalls.Call::file)
        .collect(Collectors.toSet());
    sources.forEach((file, text) -> {
      Matcher m = CLIENT_VARIABLE.matcher(text);
      while (m.find()) {
        assertThat(m.group(1)).as("%s holds a KubernetesClient; the scan above looks for `client.`", file)
            .isEqualTo("client");
        assertThat(listedFiles).as("%s holds a KubernetesClient but none of its calls is listed", file)
            .contains(file);
      }
    });
  }

  @Test
  void the_framework_watches_only_the_primary_resource() {
    // java-operator-sdk informers and dependents would need list/watch on their kinds: none exist yet.
    sources.forEach((file, text) -> assertThat(text).as(file)
        .doesNotContain("EventSource<").doesNotContain("InformerEventSource").doesNotContain("@Workflow")
        .doesNotContain("Dependent("));
  }

  @Test
  void the_reconciler_creates_only_services_and_the_pod_disruption_budget() {
    // OwnedObjects' client.resource(...) calls act on the objects these models make, and only those.
    String owned = sources.get("dev/consensus/operator/reconcile/OwnedObjects.java");
    Matcher m = Pattern.compile("(\\w+Models?)\\.\\w+\\(cluster\\)").matcher(owned);
    Set<String> models = new java.util.TreeSet<>();
    while (m.find()) {
      models.add(m.group(1));
    }
    assertThat(models).containsExactlyInAnyOrder("ServiceModels", "PodDisruptionBudgetModel");
  }

  private static Map<String, String> sources() {
    Path root = Path.of(System.getProperty("operator.sources", "../operator/src/main/java"));
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        out.put(root.relativize(p).toString().replace('\\', '/'), Files.readString(p));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertThat(out).as("operator sources under " + root).isNotEmpty();
    return out;
  }
}
