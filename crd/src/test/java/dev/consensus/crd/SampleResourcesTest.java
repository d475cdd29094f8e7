package dev.consensus.crd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.consensus.crd.validation.SpecValidator;
import dev.consensus.crd.validation.SpecViolation;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The examples in docs/examples pass the generated schema and the operator's checks and read into
 * the Java types; each invalid resource fails exactly where it should: the schema (at kubectl apply)
 * or the operator (reported in status).
 */
class SampleResourcesTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private final JSONSchemaProps schema =
      CrdFiles.generatedCrd().getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();

  @ParameterizedTest
  @ValueSource(strings = {"consensuscluster-minimal.yaml", "consensuscluster-full.yaml"})
  void examples_pass_the_schema_and_the_operator_checks(String file) {
    String yaml = CrdFiles.read(CrdFiles.examples().resolve(file));
    assertThat(SchemaChecker.check(schema, tree(yaml))).isEmpty();
    ConsensusCluster cluster = Serialization.unmarshal(yaml, ConsensusCluster.class);
    assertThat(SpecValidator.validate(cluster)).isEmpty();
  }

  @Test
  void the_charts_example_passes_the_schema_and_the_operator_checks() {
    String yaml = CrdFiles.read(CrdFiles.chartExample());
    assertThat(SchemaChecker.check(schema, tree(yaml))).isEmpty();
    assertThat(SpecValidator.validate(Serialization.unmarshal(yaml, ConsensusCluster.class))).isEmpty();
  }

  @Test
  void the_full_example_reads_into_every_field() {
    ConsensusCluster cluster = Serialization.unmarshal(
        CrdFiles.read(CrdFiles.examples().resolve("consensuscluster-full.yaml")), ConsensusCluster.class);
    ConsensusClusterSpec spec = cluster.getSpec();
    assertThat(cluster.getMetadata().getNamespace()).isEqualTo("shop");
    assertThat(spec.replicas()).isEqualTo(5);
    assertThat(spec.image()).isEqualTo("quay.io/coreos/etcd");
    assertThat(spec.version()).isEqualTo("v3.5.17");
    assertThat(spec.command()).containsExactly("/usr/local/bin/etcd");
    assertThat(spec.storage().size()).isEqualTo(new Quantity("20Gi"));
    assertThat(spec.storage().storageClassName()).isEqualTo("fast-ssd");
    assertThat(spec.storage().deletionPolicy()).isEqualTo(VolumeDeletionPolicy.Delete);
    assertThat(spec.resources().getRequests()).containsEntry("cpu", new Quantity("500m"));
    assertThat(spec.pod().affinity().getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution())
        .hasSize(1);
    assertThat(spec.pod().tolerations()).hasSize(1);
    assertThat(spec.pod().nodeSelector()).containsEntry("disktype", "ssd");
    assertThat(spec.pod().topologySpreadConstraints()).hasSize(1);
    assertThat(spec.pod().priorityClassName()).isEqualTo("system-cluster-critical");
    assertThat(spec.pod().labels()).containsEntry("team", "payments");
    assertThat(spec.pod().annotations()).containsEntry("prometheus.io/scrape", "true");
    assertThat(spec.store().heartbeatIntervalMs()).isEqualTo(200);
    assertThat(spec.store().electionTimeoutMs()).isEqualTo(2000);
    assertThat(spec.store().snapshotCount()).isEqualTo(50_000L);
    assertThat(Quantity.getAmountInBytes(spec.store().quotaBackendBytes())).isEqualByComparingTo("8589934592");
    assertThat(spec.store().autoCompactionMode()).isEqualTo(AutoCompactionMode.PERIODIC);
    assertThat(spec.store().autoCompactionRetention()).isEqualTo("1h30m");
    assertThat(spec.tls().clientSecretName()).isEqualTo("orders-client-tls");
    assertThat(spec.tls().peerSecretName()).isEqualTo("orders-peer-tls");
    assertThat(spec.isPaused()).isFalse();
  }

  @Test
  void a_resource_survives_a_round_trip_through_json() {
    String yaml = CrdFiles.read(CrdFiles.examples().resolve("consensuscluster-full.yaml"));
    ConsensusCluster cluster = Serialization.unmarshal(yaml, ConsensusCluster.class);
    ConsensusCluster again = Serialization.unmarshal(Serialization.asJson(cluster), ConsensusCluster.class);
    assertThat(again.getSpec()).isEqualTo(cluster.getSpec());
  }

  /** Refused by the schema: the API server rejects these at kubectl apply, before the operator sees them. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "replicas-zero.yaml    | .spec.replicas: should be greater than or equal to 1",
      "no-storage.yaml       | .spec.storage: Required value",
      "unknown-field.yaml    | .spec.replica: unknown field",
      "bad-enum.yaml         | .spec.storage.deletionPolicy: Unsupported value: \"Shred\"",
      "image-with-tag.yaml   | .spec.image: should match"})
  void the_schema_refuses(String file, String expected) {
    List<String> errors = SchemaChecker.check(schema, tree(invalid(file)));
    assertThat(errors).anySatisfy(error -> assertThat(error).startsWith(expected));
  }

  /** Accepted by the schema; the operator refuses them and says why in status. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "election-too-short.yaml          | spec.store.electionTimeoutMs: --election-timeout[1000ms] should be at least as 5 times as --heartbeat-interval[250ms]",
      "quota-over-volume.yaml           | spec.store.quotaBackendBytes: --quota-backend-bytes (8Gi) is larger than the volume",
      "revision-retention-duration.yaml | spec.store.autoCompactionRetention: invalid --auto-compaction-retention \"30m\" for mode revision",
      "reserved-label.yaml              | spec.pod.labels[app.kubernetes.io/instance]: labels under app.kubernetes.io/ are set by the operator"})
  void the_schema_accepts_and_the_operator_refuses(String file, String expected) {
    String yaml = invalid(file);
    assertThat(SchemaChecker.check(schema, tree(yaml))).isEmpty();
    List<SpecViolation> violations = SpecValidator.validate(Serialization.unmarshal(yaml, ConsensusCluster.class));
    assertThat(violations).hasSize(1);
    assertThat(violations.get(0).toString()).startsWith(expected);
  }

  /** The operator repeats the schema's checks, for API servers that did not apply it (a mock server). */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "replicas-zero.yaml  | spec.replicas: must be between 1 and 7, got 0",
      "no-storage.yaml     | spec.storage: Required value",
      "image-with-tag.yaml | spec.image: must be an image repository without tag or digest"})
  void the_operator_also_refuses_what_the_schema_refuses(String file, String expected) {
    List<SpecViolation> violations =
        SpecValidator.validate(Serialization.unmarshal(invalid(file), ConsensusCluster.class));
    assertThat(violations).extracting(SpecViolation::toString).anySatisfy(v -> assertThat(v).startsWith(expected));
  }

  private static String invalid(String file) {
    return CrdFiles.read(Path.of("src/test/resources/invalid").resolve(file));
  }

  private static JsonNode tree(String yaml) {
    try {
      return YAML.readTree(yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
