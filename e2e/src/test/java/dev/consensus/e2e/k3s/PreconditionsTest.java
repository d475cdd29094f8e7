package dev.consensus.e2e.k3s;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sentence the k3s suite reports when it cannot run, from real files. */
class PreconditionsTest {

  @TempDir
  Path repo;

  private Images images() {
    return Images.fromBuild(repo, "ghcr.io/consensus-dev", "0.1.0");
  }

  private void buildTarballs() throws Exception {
    for (String tarball : new String[] {Images.STORE_NODE_TARBALL, Images.OPERATOR_TARBALL}) {
      Files.createDirectories(repo.resolve(tarball).getParent());
      Files.writeString(repo.resolve(tarball), "not really an image");
    }
  }

  @Test
  void with_docker_and_both_tarballs_the_backend_can_run() throws Exception {
    buildTarballs();
    assertThat(Preconditions.whyNot(true, images())).isEmpty();
  }

  @Test
  void without_docker_the_report_says_the_scenarios_did_not_run_and_why() throws Exception {
    buildTarballs();
    assertThat(Preconditions.whyNot(false, images())).hasValueSatisfying(message -> assertThat(message)
        .startsWith("The k3s scenarios did NOT run: no Docker engine is reachable")
        .doesNotContain("tarballs")
        .contains("make e2e-k3s"));
  }

  @Test
  void missing_tarballs_are_named_with_the_command_that_builds_them() throws Exception {
    Files.createDirectories(repo.resolve(Images.OPERATOR_TARBALL).getParent());
    Files.writeString(repo.resolve(Images.OPERATOR_TARBALL), "x");
    assertThat(Preconditions.whyNot(true, images())).hasValueSatisfying(message -> assertThat(message)
        .contains("the image tarballs are missing (" + repo.resolve(Images.STORE_NODE_TARBALL) + ")")
        .doesNotContain(Images.OPERATOR_TARBALL)
        .contains("`make images`")
        .doesNotContain("Docker engine"));
  }

  @Test
  void both_reasons_are_given_together() {
    assertThat(Preconditions.whyNot(false, images())).hasValueSatisfying(message -> assertThat(message)
        .contains("no Docker engine is reachable").contains("; and the image tarballs are missing (")
        .contains(Images.STORE_NODE_TARBALL).contains(Images.OPERATOR_TARBALL));
  }

  @Test
  void a_directory_where_a_tarball_should_be_is_no_tarball() throws Exception {
    Files.createDirectories(repo.resolve(Images.STORE_NODE_TARBALL));
    Files.createDirectories(repo.resolve(Images.OPERATOR_TARBALL).getParent());
    Files.writeString(repo.resolve(Images.OPERATOR_TARBALL), "x");
    assertThat(images().missingTarballs()).containsExactly(repo.resolve(Images.STORE_NODE_TARBALL));
  }
}
