package dev.consensus.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The chart as files: it lints, its CRD is the generated one, its README explains every permission. */
class ChartFilesTest {

  private static final String CRD = "consensusclusters.consensus.dev-v1.yml";

  @Test
  void the_chart_passes_helm_lint_strictly() {
    LintResult lint = new Helm(Chart.dir()).lint().strict().call();
    assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();
  }

  @Test
  void the_charts_crd_is_the_one_the_java_types_generate() throws IOException {
    // The crd module's jar carries the generator's output; CrdDriftTest in crd/ says how to fix a drift.
    try (InputStream generated = getClass().getClassLoader().getResourceAsStream("META-INF/fabric8/" + CRD)) {
      assertThat(generated).as("the generated CRD on the classpath (crd module)").isNotNull();
      assertThat(Files.readString(Chart.dir().resolve("crds").resolve(CRD)))
          .as("helm/consensus-operator/crds/%s; run `make crd`", CRD)
          .isEqualTo(new String(generated.readAllBytes(), StandardCharsets.UTF_8));
    }
    try (var files = Files.list(Chart.dir().resolve("crds"))) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly(CRD);
    }
  }

  @Test
  void the_readme_gives_a_reason_for_every_permission() throws IOException {
    String readme = Files.readString(Chart.dir().resolve("README.md"));
    for (OperatorApiCalls.Call call : OperatorApiCalls.CALLS) {
      String resource = (call.group().isEmpty() ? "" : call.group() + "/") + call.resource();
      assertThat(readme).as("README.md row for %s", resource).contains("`" + resource + "`");
      call.verbs().forEach(v -> assertThat(readme).contains(v));
    }
  }

  @Test
  void the_notes_point_at_an_example_that_exists() throws IOException {
    String notes = Files.readString(Chart.dir().resolve("templates/NOTES.txt"));
    assertThat(notes).contains("examples/consensuscluster.yaml");
    assertThat(Chart.dir().resolve("examples/consensuscluster.yaml")).exists();
    assertThat(Path.of(Chart.dir().toString(), "values.schema.json")).exists();
  }
}
