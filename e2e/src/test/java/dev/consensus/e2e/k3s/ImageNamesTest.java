package dev.consensus.e2e.k3s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.consensus.operator.model.StoreImage;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The images {@code make images} builds carry the names the operator and the chart ask for: otherwise
 * k3s would try to pull them, and a release would ship an operator whose default image does not exist.
 */
class ImageNamesTest {

  private static final Path REPO = Path.of(System.getProperty("e2e.root", "..")).toAbsolutePath().normalize();
  private static final Images BUILT = Images.fromBuild(REPO, System.getProperty("images.registry", "unset"),
      System.getProperty("images.tag", "unset"));

  @Test
  void the_store_node_image_is_the_one_the_operator_puts_in_a_StatefulSet_by_default() {
    assertThat(BUILT.storeNodeReference()).isEqualTo(StoreImage.DEFAULT_REPOSITORY + ":" + StoreImage.DEFAULT_TAG);
  }

  @Test
  @SuppressWarnings("unchecked")
  void the_operator_image_is_the_charts_image_repository_at_its_appVersion() throws Exception {
    Path chart = REPO.resolve("helm/consensus-operator");
    Map<String, Object> values = Serialization.unmarshal(Files.readString(chart.resolve("values.yaml")), Map.class);
    Map<String, Object> chartYaml = Serialization.unmarshal(Files.readString(chart.resolve("Chart.yaml")), Map.class);
    assertThat(((Map<String, Object>) values.get("image")).get("repository")).isEqualTo(BUILT.operatorRepository());
    assertThat(chartYaml.get("appVersion")).isEqualTo(BUILT.tag());
  }

  @Test
  void jib_writes_each_tarball_where_the_backend_looks_and_under_the_name_it_imports() throws Exception {
    assertThat(Files.readString(REPO.resolve("store-node/pom.xml")))
        .contains("<image>${images.registry}/" + Images.STORE_NODE + ":${images.tag}</image>")
        .contains("<tar>${project.build.directory}/" + Path.of(Images.STORE_NODE_TARBALL).getFileName() + "</tar>");
    assertThat(Files.readString(REPO.resolve("operator/pom.xml")))
        .contains("<image>${images.registry}/" + Images.OPERATOR + ":${images.tag}</image>")
        .contains("<tar>${project.build.directory}/" + Path.of(Images.OPERATOR_TARBALL).getFileName() + "</tar>");
  }

  @Test
  void a_registry_given_with_a_trailing_slash_names_the_same_images() {
    Images images = new Images("ghcr.io/example/", "1.2.3", Path.of("a.tar"), Path.of("b.tar"));
    assertThat(images.storeNodeReference()).isEqualTo("ghcr.io/example/store-node:1.2.3");
    assertThat(images.operatorReference()).isEqualTo("ghcr.io/example/consensus-operator:1.2.3");
  }
}
