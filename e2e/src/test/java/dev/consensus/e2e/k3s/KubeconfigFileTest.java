package dev.consensus.e2e.k3s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kubeconfig k3s hands out: written for its owner only, and the only source of the client's settings. */
class KubeconfigFileTest {

  /** The shape K3sContainer returns: the API server on the host's mapped port, a client certificate. */
  private static final String KUBECONFIG = """
      apiVersion: v1
      kind: Config
      clusters:
      - cluster:
          server: https://localhost:32768
          insecure-skip-tls-verify: true
        name: default
      contexts:
      - context:
          cluster: default
          user: default
        name: default
      current-context: default
      users:
      - name: default
        user:
          client-certificate-data: Y2VydGlmaWNhdGU=
          client-key-data: a2V5
      """;

  @TempDir
  Path dir;

  @Test
  void the_kubeconfig_is_written_readable_by_its_owner_only() throws Exception {
    Path file = KubeconfigFile.write(dir.resolve("run"), KUBECONFIG);
    assertThat(file).hasContent(KUBECONFIG.strip());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
  }

  @Test
  void writing_again_replaces_the_previous_kubeconfig_and_keeps_it_private() throws Exception {
    Path first = KubeconfigFile.write(dir, KUBECONFIG.replace("32768", "40000"));
    Files.setPosixFilePermissions(first, PosixFilePermissions.fromString("rw-r--r--"));
    Path second = KubeconfigFile.write(dir, KUBECONFIG);
    assertThat(second).isEqualTo(first);
    assertThat(Files.readString(second)).contains("localhost:32768").doesNotContain("40000");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(second))).isEqualTo("rw-------");
  }

  @Test
  void the_client_talks_to_the_server_the_kubeconfig_names() {
    Config config = KubeconfigFile.clientConfig(KUBECONFIG);
    assertThat(config.getMasterUrl()).startsWith("https://localhost:32768");
    assertThat(config.getClientCertData()).isEqualTo("Y2VydGlmaWNhdGU=");
    assertThat(config.getClientKeyData()).isEqualTo("a2V5");
  }

  @Test
  void a_kubeconfig_without_a_server_is_refused() {
    String noServer = KUBECONFIG.replace("    server: https://localhost:32768\n", "");
    assertThatThrownBy(() -> KubeconfigFile.clientConfig(noServer)).isInstanceOf(RuntimeException.class);
  }
}
