package dev.consensus.operator.reconcile;

import dev.consensus.crd.ConsensusCluster;
import dev.consensus.operator.members.ClientTls;
import dev.consensus.operator.members.MembershipException;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Reads the operator's client credentials from the cluster's client TLS Secret: the same Secret the
 * members mount, with {@code tls.crt}, {@code tls.key} and {@code ca.crt} (a {@code kubernetes.io/tls}
 * Secret with the CA added, as cert-manager writes them). Members run with {@code --client-cert-auth},
 * so the operator shows that certificate; it must allow client authentication as well as server.
 */
final class TlsSecrets {

  static final String CERTIFICATE = "tls.crt";
  static final String KEY = "tls.key";
  static final String CA = "ca.crt";

  private TlsSecrets() {
  }

  /** The credentials, or an error naming the Secret and the keys it lacks; the reconcile retries later. */
  static ClientTls client(KubernetesClient client, ConsensusCluster cluster) {
    String ns = cluster.getMetadata().getNamespace();
    String name = cluster.getSpec().tls().clientSecretName();
    Secret secret = client.secrets().inNamespace(ns).withName(name).get();
    if (secret == null) {
      throw new MembershipException("client TLS Secret " + ns + "/" + name + " (spec.tls.clientSecretName) not found",
          null);
    }
    List<String> missing = new ArrayList<>();
    String cert = value(secret, CERTIFICATE, missing);
    String key = value(secret, KEY, missing);
    String ca = value(secret, CA, missing);
    if (!missing.isEmpty()) {
      throw new MembershipException("client TLS Secret " + ns + "/" + name + " lacks " + String.join(", ", missing),
          null);
    }
    return new ClientTls(cert, key, ca);
  }

  private static String value(Secret secret, String key, List<String> missing) {
    if (secret.getData() != null && secret.getData().get(key) != null) {
      return new String(Base64.getMimeDecoder().decode(secret.getData().get(key)), StandardCharsets.US_ASCII);
    }
    // stringData is write-only in a real API server, but a mock or a test may leave it as written.
    if (secret.getStringData() != null && secret.getStringData().get(key) != null) {
      return secret.getStringData().get(key);
    }
    missing.add(key);
    return null;
  }
}
