package dev.consensus.e2e.k3s;

import io.fabric8.kubernetes.client.Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The k3s container's admin kubeconfig, written where a user can point kubectl at it while the suite
 * runs. It holds the cluster's admin credentials, so only its owner may read it.
 */
public final class KubeconfigFile {

  private KubeconfigFile() {
  }

  /** Writes {@code yaml} to {@code dir/kubeconfig}, readable by its owner only, and returns the path. */
  public static Path write(Path dir, String yaml) {
    Path file = dir.resolve("kubeconfig");
    try {
      Files.createDirectories(dir);
      Files.deleteIfExists(file);
      // Created with owner-only permissions, so the credentials are never readable by others, even briefly.
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, yaml, StandardOpenOption.TRUNCATE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the k3s kubeconfig to " + file, e);
    }
    return file;
  }

  /**
   * fabric8's configuration from the kubeconfig's text alone: no ~/.kube/config, no KUBECONFIG, no
   * in-cluster service account can change which cluster the tests talk to.
   */
  public static Config clientConfig(String yaml) {
    Config config = Config.fromKubeconfig(yaml);
    if (config.getMasterUrl() == null || config.getMasterUrl().isBlank()) {
      throw new IllegalArgumentException("the kubeconfig names no server");
    }
    return config;
  }
}
