package dev.consensus.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** values.schema.json refuses bad values at install/template time, naming the value. */
class ChartValuesTest {

  // The third column is where helm's message points (a JSON pointer into the values) and the fourth what it
  // says there: a value refused for the wrong reason (a string where a list was meant) fails the test.
  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(delimiter = '|', textBlock = """
      replicaCount                    | 0                   | /replicaCount                    | minimum: got 0
      replicaCount                    | many                | /replicaCount                    | want integer
      image.repository                | ghcr.io/x/op:latest | /image/repository                | does not match pattern
      image.tag                       | 'not a tag'         | /image/tag                       | does not match pattern
      image.pullPolicy                | Sometimes           | /image/pullPolicy                | value must be one of
      logLevel                        | verbose             | /logLevel                        | value must be one of
      probePort                       | 80                  | /probePort                       | minimum: got 80
      resources.requests.cpu          | lots                | /resources/requests/cpu          | does not match pattern
      resources.requests.memory       | ''                  | /resources/requests/memory       | does not match pattern
      watchNamespaces[0]              | Team_A              | /watchNamespaces/0               | does not match pattern
      leaderElection.enabled          | maybe               | /leaderElection/enabled          | want boolean
      leaderElection.leaseName        | Bad_Name            | /leaderElection/leaseName        | does not match pattern
      reconciler.callTimeout          | soon                | /reconciler/callTimeout          | does not match pattern
      reconciler.callTimeout          | PT                  | /reconciler/callTimeout          | does not match pattern
      reconciler.requeue              | 0                   | /reconciler/requeue              | minimum: got 0
      reconciler.maxLearnerLag        | -1                  | /reconciler/maxLearnerLag        | minimum: got -1
      metrics.serviceMonitor.interval | often               | /metrics/serviceMonitor/interval | does not match pattern
      metrics.serviceMonitor.enabled  | yes                 | /metrics/serviceMonitor/enabled  | want boolean
      metrics.service.enabled         | 1                   | /metrics/service/enabled         | want boolean
      serviceAccount.create           | no                  | /serviceAccount/create           | want boolean
      replicas                        | 3                   | ''                               | additional properties 'replicas' not allowed
      """)
  void a_bad_value_is_refused_naming_it(String key, String value, String at, String why) {
    assertRefused(Map.of(key, value), at, why);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      several replicas without leader election | replicaCount=2,leaderElection.enabled=false | /replicaCount | maximum: got 2, want 1
      a ServiceMonitor without the Service | metrics.serviceMonitor.enabled=true,metrics.service.enabled=false | /metrics/service/enabled | value must be true
      """)
  void a_bad_combination_is_refused(String what, String settings, String at, String why) {
    Map<String, String> values = new HashMap<>();
    for (String kv : settings.split(",")) {
      values.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
    }
    assertRefused(values, at, why);
  }

  @Test
  void a_cluster_older_than_the_chart_supports_is_refused() {
    assertThatThrownBy(() -> Chart.render(Chart.RELEASE, Map.of(), "1.24.0"))
        .hasMessageContaining("kubeVersion: >=1.25.0-0");
  }

  private static void assertRefused(Map<String, String> values, String at, String why) {
    assertThatThrownBy(() -> Chart.render(values)).satisfies(e -> assertThat(e.getMessage()).as("helm's message")
        .contains("values don't meet the specifications of the schema")
        .contains("at '" + (at == null ? "" : at) + "': ")
        .contains(why));
  }
}
