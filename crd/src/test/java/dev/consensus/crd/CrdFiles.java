package dev.consensus.crd;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the generated and the checked-in CRD are; Maven passes both, a bare IDE run falls back to the defaults. */
final class CrdFiles {

  static final String FILE_NAME = "consensusclusters.consensus.dev-v1.yml";

  private CrdFiles() {
  }

  static Path generated() {
    return Path.of(System.getProperty("crd.generated", "target/classes/META-INF/fabric8/" + FILE_NAME));
  }

  static Path checkedIn() {
    return Path.of(System.getProperty("crd.checkedIn", "../helm/consensus-operator/crds/" + FILE_NAME));
  }

  /** The repository's root: the checked-in CRD is at helm/consensus-operator/crds/ below it. */
  static Path repositoryRoot() {
    return checkedIn().toAbsolutePath().getParent().getParent().getParent().getParent();
  }

  /** The repository's docs/examples directory, where the sample resources live. */
  static Path examples() {
    return repositoryRoot().resolve("docs/examples");
  }

  /** The chart's example resource, which the chart's NOTES.txt tells users to apply. */
  static Path chartExample() {
    return repositoryRoot().resolve("helm/consensus-operator/examples/consensuscluster.yaml");
  }

  static String read(Path path) {
    try {
      return Files.readString(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static CustomResourceDefinition generatedCrd() {
    return Serialization.unmarshal(read(generated()), CustomResourceDefinition.class);
  }
}
