package dev.consensus.operator.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The operator's flags, and its probe and metrics port over real HTTP on loopback. */
class OperatorRuntimeTest {

  @Test
  void flags_have_defaults_and_each_can_be_set() {
    OperatorOptions defaults = OperatorOptions.parse(List.of());
    assertThat(defaults.probePort()).isEqualTo(8080);
    assertThat(defaults.reconciler().catchUpDeadline()).isEqualTo(Duration.ofMinutes(10));
    OperatorOptions set = OperatorOptions.parse(List.of("--probe-port=9000", "--catch-up-deadline=PT30S",
        "--caught-up-hold=3", "--max-learner-lag=5", "--lease-name=x"));
    assertThat(set.probePort()).isEqualTo(9000);
    assertThat(set.reconciler().catchUpDeadline()).isEqualTo(Duration.ofSeconds(30));
    assertThat(set.reconciler().caughtUpHold()).isEqualTo(Duration.ofSeconds(3));
    assertThat(set.reconciler().maxLearnerLag()).isEqualTo(5);
    assertThat(set.leaseName()).isEqualTo("x");
  }

  @Test
  void a_bad_flag_is_refused_naming_it() {
    assertThatThrownBy(() -> OperatorOptions.parse(List.of("--nope=1"))).hasMessageContaining("unknown flag --nope");
    assertThatThrownBy(() -> OperatorOptions.parse(List.of("--catch-up-deadline=soon")))
        .hasMessageContaining("--catch-up-deadline: not a duration");
    assertThatThrownBy(() -> OperatorOptions.parse(List.of("--max-learner-lag=-1")))
        .hasMessageContaining("max learner lag must not be negative");
    assertThatThrownBy(() -> OperatorOptions.parse(List.of("probe-port"))).hasMessageContaining("expected --flag=value");
  }

  @Test
  void leader_election_and_watched_namespaces_are_flags_the_helm_chart_sets() {
    OperatorOptions defaults = OperatorOptions.parse(List.of());
    assertThat(defaults.leaderElection()).isTrue();
    assertThat(defaults.watchNamespaces()).isEmpty();
    OperatorOptions set = OperatorOptions.parse(List.of("--leader-election=false", "--watch-namespaces=shop, billing"));
    assertThat(set.leaderElection()).isFalse();
    assertThat(set.watchNamespaces()).containsExactlyInAnyOrder("shop", "billing");
    assertThatThrownBy(() -> OperatorOptions.parse(List.of("--leader-election=yes")))
        .hasMessageContaining("--leader-election: expected true or false");
    assertThatThrownBy(() -> OperatorOptions.parse(List.of("--watch-namespaces=Shop_1")))
        .hasMessageContaining("--watch-namespaces: not a namespace name: 'Shop_1'");
  }

  @Test
  void lease_timings_are_flags_and_a_renew_deadline_past_the_lease_is_refused() {
    assertThat(OperatorOptions.parse(List.of()).leaseTiming()).isEqualTo(LeaseTiming.defaults());
    OperatorOptions set = OperatorOptions.parse(List.of("--lease-duration=30", "--lease-renew-deadline=PT20S",
        "--lease-retry-period=4"));
    assertThat(set.leaseTiming())
        .isEqualTo(new LeaseTiming(Duration.ofSeconds(30), Duration.ofSeconds(20), Duration.ofSeconds(4)));
    assertThatThrownBy(() -> OperatorOptions.parse(List.of("--lease-renew-deadline=20")))
        .hasMessageContaining("--lease-duration (PT15S) must be longer than --lease-renew-deadline (PT20S)");
    assertThatThrownBy(() -> OperatorOptions.parse(List.of("--lease-retry-period=10")))
        .hasMessageContaining("--lease-renew-deadline (PT10S) must be longer than --lease-retry-period (PT10S)");
    assertThatThrownBy(() -> OperatorOptions.parse(List.of("--lease-retry-period=0")))
        .hasMessageContaining("--lease-retry-period must be positive");
  }

  @Test
  void probes_and_metrics_answer_over_http() throws Exception {
    OperatorMetrics metrics = new OperatorMetrics();
    metrics.reconciled();
    metrics.membershipOperation("Promote", Duration.ofMillis(1500));
    metrics.reconcileFailed();
    AtomicBoolean ready = new AtomicBoolean(false);
    try (ProbeServer server = new ProbeServer(new InetSocketAddress("127.0.0.1", 0), ready::get, metrics)) {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      String base = "http://127.0.0.1:" + server.port();
      assertThat(get(http, base + "/healthz").statusCode()).isEqualTo(200);
      assertThat(get(http, base + "/readyz").statusCode()).isEqualTo(503);
      ready.set(true);
      assertThat(get(http, base + "/readyz").statusCode()).isEqualTo(200);
      String body = get(http, base + "/metrics").body();
      assertThat(body).contains("consensus_operator_reconciles_total 1")
          .contains("consensus_operator_reconcile_errors_total 1")
          .contains("consensus_operator_membership_operations_total{step=\"Promote\"} 1")
          .contains("consensus_operator_membership_operation_duration_seconds_sum{step=\"Promote\"} 1.500000");
    }
  }

  private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
