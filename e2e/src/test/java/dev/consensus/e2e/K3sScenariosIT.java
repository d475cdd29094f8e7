package dev.consensus.e2e;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import dev.consensus.e2e.k3s.Images;
import dev.consensus.e2e.k3s.K3sBackend;
import dev.consensus.e2e.k3s.Preconditions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The same scenarios as {@link LocalHarnessScenariosIT}, on k3s in a container with the operator
 * installed from the Helm chart. Where no Docker engine is reachable or {@code make images} has not
 * been run, every scenario is reported as not run, with the reason: a skip here means the k3s backend
 * was NOT tested. {@code make e2e-k3s} sets {@code e2e.k3s.required}, which turns that into a failure.
 */
class K3sScenariosIT extends ClusterScenarios {

  private static K3sBackend backend;
  /** Why the backend cannot run here, or empty. */
  private static Optional<String> whyNot = Optional.empty();

  @BeforeAll
  static void startK3s() throws Exception {
    Path repo = Path.of(System.getProperty("e2e.root", "..")).toAbsolutePath().normalize();
    Images images = Images.fromBuild(repo, System.getProperty("images.registry", "ghcr.io/consensus-dev"),
        System.getProperty("images.tag", "0.1.0"));
    whyNot = Preconditions.whyNot(Preconditions.dockerAvailable(), images);
    if (whyNot.isPresent()) {
      System.err.println(whyNot.get());
      return;
    }
    Path runDir = repo.resolve("e2e/target/e2e").resolve("k3s-" + System.currentTimeMillis());
    Files.createDirectories(runDir);
    backend = new K3sBackend(new K3sBackend.Settings(runDir, repo.resolve("helm/consensus-operator"), images,
        System.getProperty("e2e.k3s.image", K3sBackend.DEFAULT_K3S_IMAGE)));
  }

  /**
   * Each scenario, not the class, is marked as not run: the test report then counts every scenario
   * of this class as skipped, with the reason, rather than showing no tests at all.
   */
  @BeforeEach
  void runOnlyWhereK3sCan() {
    if (whyNot.isPresent()) {
      if (Boolean.getBoolean("e2e.k3s.required")) {
        fail(whyNot.get());
      }
      abort(whyNot.get());
    }
  }

  @AfterAll
  static void stopK3s() {
    if (backend != null) {
      backend.close();
    }
  }

  @Override
  protected ClusterBackend backend() {
    return backend;
  }
}
