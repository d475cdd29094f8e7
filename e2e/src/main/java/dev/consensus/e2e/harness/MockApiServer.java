package dev.consensus.e2e.harness;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;

/**
 * The harness's API server: fabric8's mock server in CRUD mode (it stores what is written, lists and
 * watches it; it runs no controller, no garbage collector, no admission) on 127.0.0.1, with the
 * ConsensusCluster CRD installed and a kubeconfig written for it, which any client (the operator's
 * JVM, kubectl) can use as it would a cluster's.
 */
public final class MockApiServer implements AutoCloseable {

  /** The mock server logs every request at INFO through java.util.logging; kept referenced so the level holds. */
  private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  static {
    MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
  }

  private final KubernetesMockServer server;
  private final KubernetesClient client;
  private final Path kubeconfig;

  public MockApiServer(Path dir, Path crd) {
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    // Mixed: the expectations below first, then CRUD for everything else.
    server = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
        new KubernetesMixedDispatcher(responses), false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    allowEverything();
    client = server.createClient();
    try (InputStream in = Files.newInputStream(crd)) {
      client.resource(client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class)).create();
      kubeconfig = dir.resolve("kubeconfig");
      Files.writeString(kubeconfig, kubeconfig(url()));
    } catch (IOException e) {
      server.destroy();
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The operator's leader election first asks whether it may use Leases (a SelfSubjectRulesReview),
   * which the CRUD store cannot answer. The harness has no RBAC: every verb on every resource.
   */
  private void allowEverything() {
    SelfSubjectRulesReview review = new SelfSubjectRulesReviewBuilder()
        .withNewMetadata().endMetadata()
        .withNewSpec().withNamespace("default").endSpec()
        .withNewStatus().withIncomplete(false)
          .addNewResourceRule().withApiGroups("*").withResources("*").withVerbs("*").endResourceRule()
          .addNewResourceRule().withApiGroups("coordination.k8s.io").withResources("leases")
            .withVerbs("get", "list", "watch", "create", "update", "patch").endResourceRule()
        .endStatus()
        .build();
    server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
        .andReturn(201, review).always();
  }

  private static String kubeconfig(String url) {
    return """
        # The e2e test harness's mock API server (not a Kubernetes cluster).
        apiVersion: v1
        kind: Config
        clusters:
        - name: e2e-harness
          cluster:
            server: %s
        users:
        - name: e2e-harness
          user:
            token: e2e-harness
        contexts:
        - name: e2e-harness
          context:
            cluster: e2e-harness
            user: e2e-harness
            namespace: default
        current-context: e2e-harness
        """.formatted(url);
  }

  public String url() {
    return "http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + server.getPort();
  }

  public KubernetesClient client() {
    return client;
  }

  public Path kubeconfig() {
    return kubeconfig;
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }
}
