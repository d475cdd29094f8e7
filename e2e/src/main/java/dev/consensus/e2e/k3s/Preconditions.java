package dev.consensus.e2e.k3s;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.testcontainers.DockerClientFactory;

/**
 * Whether the k3s backend can run here, and if not, why, in a sentence a test report can show: it
 * needs a Docker engine (k3s runs in a container) and the tarballs of {@code make images}.
 */
public final class Preconditions {

  private Preconditions() {
  }

  /** Asks Testcontainers whether a Docker engine answers (its usual search: DOCKER_HOST, the socket, ...). */
  public static boolean dockerAvailable() {
    return DockerClientFactory.instance().isDockerAvailable();
  }

  /** Empty when the backend can run; otherwise every reason it cannot, in one message. */
  public static Optional<String> whyNot(boolean dockerAvailable, Images images) {
    List<String> reasons = new ArrayList<>();
    if (!dockerAvailable) {
      reasons.add("no Docker engine is reachable (Testcontainers found none), and k3s runs in a container");
    }
    List<Path> missing = images.missingTarballs();
    if (!missing.isEmpty()) {
      reasons.add("the image tarballs are missing (" + missing.stream().map(Path::toString)
          .collect(Collectors.joining(", ")) + "); `make images` builds them");
    }
    if (reasons.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of("The k3s scenarios did NOT run: " + String.join("; and ", reasons)
        + ". `make e2e-k3s` runs them where Docker is available (docs/e2e.md).");
  }
}
