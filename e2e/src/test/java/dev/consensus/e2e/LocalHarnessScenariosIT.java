package dev.consensus.e2e;

import dev.consensus.e2e.harness.LocalHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The scenarios on the local test harness: store-node processes, the operator in its own JVM. */
class LocalHarnessScenariosIT extends ClusterScenarios {

  private static LocalHarness harness;

  @BeforeAll
  static void startHarness() throws Exception {
    harness = new LocalHarness(settings("scenarios"));
    harness.startOperator();
  }

  /** Paths from the build (failsafe's system properties), a fresh directory under target/e2e per run. */
  static LocalHarness.Settings settings(String run) throws Exception {
    Path repo = Path.of(System.getProperty("e2e.root", "..")).toAbsolutePath().normalize();
    Path root = repo.resolve("e2e/target/e2e").resolve(run + "-" + System.currentTimeMillis());
    Files.createDirectories(root);
    return new LocalHarness.Settings(root, repo, OPERATOR_FLAGS);
  }

  /**
   * The operator's own flags, with waits short enough for tests; the catch-up deadline leaves room for
   * a member's JVM to start on two cores shared with other builds (30 s was seen to be too little).
   */
  static final List<String> OPERATOR_FLAGS = List.of("--lease-namespace=default", "--caught-up-hold=PT0.5S",
      "--catch-up-deadline=PT90S", "--retry-after-rollback=PT2S", "--requeue=PT0.5S", "--call-timeout=PT2S");

  @AfterAll
  static void stopHarness() {
    if (harness != null) {
      harness.close();
    }
  }

  @Override
  protected ClusterBackend backend() {
    return harness;
  }
}
