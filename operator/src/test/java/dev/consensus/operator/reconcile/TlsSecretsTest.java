package dev.consensus.operator.reconcile;

import static dev.consensus.operator.Clusters.cluster;
import static dev.consensus.operator.Clusters.withTls;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.consensus.crd.ConsensusCluster;
import dev.consensus.crd.TlsSpec;
import dev.consensus.operator.members.ClientTls;
import dev.consensus.operator.members.MembershipException;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class TlsSecretsTest {

  static KubernetesClient client;

  private final ConsensusCluster demo = cluster(withTls(new TlsSpec("demo-client-tls", null)));

  private static String b64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void the_client_credentials_come_from_the_secret_the_spec_names() {
    client.resource(new SecretBuilder().withNewMetadata().withName("demo-client-tls").withNamespace("ns")
        .endMetadata().withType("kubernetes.io/tls").addToData("tls.crt", b64("CERT")).addToData("tls.key", b64("KEY"))
        .addToData("ca.crt", b64("CA")).build()).create();

    assertThat(TlsSecrets.client(client, demo)).isEqualTo(new ClientTls("CERT", "KEY", "CA"));
    assertThat(new ClientTls("CERT", "KEY", "CA").toString()).doesNotContain("KEY");

    client.resource(new SecretBuilder().withNewMetadata().withName("partial").withNamespace("ns")
        .endMetadata().addToData("tls.crt", b64("CERT")).build()).create();
    ConsensusCluster partial = cluster(withTls(new TlsSpec("partial", null)));
    assertThatThrownBy(() -> TlsSecrets.client(client, partial)).isInstanceOf(MembershipException.class)
        .hasMessage("client TLS Secret ns/partial lacks tls.key, ca.crt");
  }

  @Test
  void a_missing_secret_is_named() {
    ConsensusCluster other = cluster(withTls(new TlsSpec("absent", null)));
    assertThatThrownBy(() -> TlsSecrets.client(client, other)).isInstanceOf(MembershipException.class)
        .hasMessage("client TLS Secret ns/absent (spec.tls.clientSecretName) not found");
  }
}
