package dev.consensus.crd.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.consensus.crd.ConsensusCluster;
import dev.consensus.crd.ConsensusClusterSpec;
import dev.consensus.crd.StorageSpec;
import dev.consensus.crd.StoreOptions;
import dev.consensus.crd.TlsSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValidatorTest {

  private static ConsensusClusterSpec spec(StorageSpec storage, StoreOptions store, TlsSpec tls) {
    return new ConsensusClusterSpec(3, null, null, null, storage, null, null, store, tls, null);
  }

  private static StorageSpec storage(String size, String storageClass) {
    return new StorageSpec(new Quantity(size), storageClass, null);
  }

  private static ConsensusCluster cluster(String name, ConsensusClusterSpec spec) {
    ConsensusCluster cluster = new ConsensusCluster();
    cluster.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("ns").build());
    cluster.setSpec(spec);
    return cluster;
  }

  private static List<String> violations(ConsensusCluster cluster) {
    return SpecValidator.validate(cluster).stream().map(SpecViolation::toString).toList();
  }

  @Test
  void a_valid_resource_has_no_violations() {
    assertThat(violations(cluster("demo", spec(storage("1Gi", null), null, null)))).isEmpty();
  }

  @Test
  void names_that_cannot_name_a_statefulset_and_its_services_are_refused() {
    assertThat(violations(cluster("a".repeat(53), spec(storage("1Gi", null), null, null))))
        .singleElement().asString().startsWith("metadata.name: must be a DNS-1035 label of at most 52");
    assertThat(violations(cluster("my.cluster", spec(storage("1Gi", null), null, null)))).hasSize(1);
    assertThat(violations(cluster("1st", spec(storage("1Gi", null), null, null)))).hasSize(1);
    assertThat(violations(cluster("a".repeat(52), spec(storage("1Gi", null), null, null)))).isEmpty();
  }

  @Test
  void every_violation_is_reported_at_once() {
    ConsensusClusterSpec spec = new ConsensusClusterSpec(9, "etcd:latest", "-bad", List.of(),
        new StorageSpec(new Quantity("0"), null, null), null, null,
        new StoreOptions(100, 60_000, 0L, new Quantity("-1"), null, "x"), new TlsSpec(null, null), null);
    assertThat(violations(cluster("demo", spec))).containsExactly(
        "spec.replicas: must be between 1 and 7, got 9",
        "spec.image: must be an image repository without tag or digest (put the tag in spec.version), got \"etcd:latest\"",
        "spec.version: must be an image tag (letters, digits, '_', '.', '-', at most 128, not starting with '.' or '-'), got \"-bad\"",
        "spec.command: must name an executable: a non-empty list of non-empty strings, or unset to run the image's entrypoint",
        "spec.storage.size: must be greater than zero, got 0",
        "spec.store.electionTimeoutMs: --election-timeout[60000ms] is too long, and should be set less than 50000ms",
        "spec.store.snapshotCount: --snapshot-count must be at least 1 (set to 0)",
        "spec.store.quotaBackendBytes: --quota-backend-bytes must not be negative (set to -1)",
        "spec.store.autoCompactionRetention: invalid --auto-compaction-retention \"x\" for mode periodic (a whole number of hours, or a duration such as 30m or 1h30m)",
        "spec.tls: tls needs clientSecretName, peerSecretName or both; remove tls for plain HTTP");
  }

  @Test
  void a_missing_spec_is_one_violation() {
    assertThat(violations(cluster("demo", null))).containsExactly("spec: Required value");
  }

  @Test
  void image_repositories_may_name_a_registry_port() {
    ConsensusClusterSpec spec = new ConsensusClusterSpec(1, "localhost:5000/team/store-node", "0.1.0", null,
        storage("1Gi", null), null, null, null, null, null);
    assertThat(violations(cluster("demo", spec))).isEmpty();
  }

  @Test
  void storage_size_and_class_cannot_change() {
    var before = spec(storage("1Gi", "fast"), null, null);
    assertThat(ChangeValidator.validateChange(before, spec(storage("2Gi", "slow"), null, null)))
        .extracting(SpecViolation::field)
        .containsExactly("spec.storage.size", "spec.storage.storageClassName");
    assertThat(ChangeValidator.validateChange(before, spec(storage("1024Mi", "fast"), null, null)))
        .as("the same size written differently is no change").isEmpty();
    assertThat(ChangeValidator.validateChange(spec(storage("1Gi", null), null, null),
        spec(storage("1Gi", "fast"), null, null))).hasSize(1);
  }

  @Test
  void tls_cannot_be_turned_on_or_off_but_secrets_can_rotate() {
    var plain = spec(storage("1Gi", null), null, null);
    var peerTls = spec(storage("1Gi", null), null, new TlsSpec(null, "peer-a"));
    var rotated = spec(storage("1Gi", null), null, new TlsSpec(null, "peer-b"));
    var both = spec(storage("1Gi", null), null, new TlsSpec("client", "peer-b"));
    assertThat(ChangeValidator.validateChange(plain, peerTls)).extracting(SpecViolation::field).containsExactly("spec.tls");
    assertThat(ChangeValidator.validateChange(peerTls, plain)).hasSize(1);
    assertThat(ChangeValidator.validateChange(rotated, both)).hasSize(1);
    assertThat(ChangeValidator.validateChange(peerTls, rotated)).isEmpty();
  }

  @Test
  void replicas_and_options_may_change() {
    var before = spec(storage("1Gi", null), null, null);
    var after = new ConsensusClusterSpec(5, null, "v2", null, storage("1Gi", null), null, null,
        new StoreOptions(50, 500, null, null, null, null), null, true);
    assertThat(ChangeValidator.validateChange(before, after)).isEmpty();
  }
}
