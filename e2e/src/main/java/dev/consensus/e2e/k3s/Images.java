package dev.consensus.e2e.k3s;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The two images {@code make images} builds with Jib, as tarballs under the modules' target
 * directories, and the references they carry. The references are the ones the operator puts in a
 * StatefulSet by default and the chart's Deployment names, so k3s finds them among the imported
 * images and never pulls.
 */
public record Images(String registry, String tag, Path storeNodeTarball, Path operatorTarball) {

  public static final String STORE_NODE = "store-node";
  public static final String OPERATOR = "consensus-operator";
  /** Where the `images` profiles write the tarballs, relative to the repository root. */
  public static final String STORE_NODE_TARBALL = "store-node/target/store-node-image.tar";
  public static final String OPERATOR_TARBALL = "operator/target/consensus-operator-image.tar";

  public Images {
    if (registry.isBlank() || tag.isBlank()) {
      throw new IllegalArgumentException("an image registry and tag are needed, got '" + registry + "' and '" + tag + "'");
    }
    registry = registry.endsWith("/") ? registry.substring(0, registry.length() - 1) : registry;
  }

  /** The tarballs where the build puts them, named as the build names them ({@code images.registry}, {@code images.tag}). */
  public static Images fromBuild(Path repoRoot, String registry, String tag) {
    return new Images(registry, tag, repoRoot.resolve(STORE_NODE_TARBALL), repoRoot.resolve(OPERATOR_TARBALL));
  }

  public String storeNodeRepository() {
    return registry + "/" + STORE_NODE;
  }

  public String operatorRepository() {
    return registry + "/" + OPERATOR;
  }

  public String storeNodeReference() {
    return storeNodeRepository() + ":" + tag;
  }

  public String operatorReference() {
    return operatorRepository() + ":" + tag;
  }

  /** The tarballs that are not there (not built yet), in a fixed order. */
  public List<Path> missingTarballs() {
    List<Path> missing = new ArrayList<>();
    for (Path tarball : List.of(storeNodeTarball, operatorTarball)) {
      if (!Files.isRegularFile(tarball)) {
        missing.add(tarball);
      }
    }
    return missing;
  }
}
