package dev.consensus.chart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.consensus.chart.OperatorApiCalls.Scope;
import dev.consensus.operator.runtime.OperatorOptions;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The chart grants the operator exactly the calls in {@link OperatorApiCalls}: nothing missing, nothing more. */
class ChartRbacTest {

  @Test
  void the_cluster_role_grants_exactly_the_operators_calls_on_clusters_and_their_objects() {
    Chart.Rendered rendered = Chart.render();
    List<PolicyRule> rules = rendered.one(ClusterRole.class).getRules();
    assertThat(permissions(rules)).containsExactlyInAnyOrderElementsOf(OperatorApiCalls.permissions(
        Scope.WATCHED_NAMESPACES));
    assertThat(rules).allSatisfy(ChartRbacTest::isNarrow);
  }

  @Test
  void the_lease_role_in_the_release_namespace_grants_exactly_leader_elections_calls() {
    Role role = Chart.render().one(Role.class);
    assertThat(role.getMetadata().getNamespace()).isEqualTo(Chart.NAMESPACE);
    assertThat(permissions(role.getRules()))
        .containsExactlyInAnyOrderElementsOf(OperatorApiCalls.permissions(Scope.RELEASE_NAMESPACE));
    assertThat(role.getRules()).allSatisfy(ChartRbacTest::isNarrow);
  }

  @Test
  void by_default_the_cluster_role_is_bound_cluster_wide_to_the_operators_account() {
    Chart.Rendered rendered = Chart.render();
    ClusterRoleBinding binding = rendered.one(ClusterRoleBinding.class);
    assertThat(binding.getRoleRef().getKind()).isEqualTo("ClusterRole");
    assertThat(binding.getRoleRef().getName()).isEqualTo(rendered.one(ClusterRole.class).getMetadata().getName());
    assertThat(binding.getSubjects()).singleElement().satisfies(s -> isOperator(s, rendered));
    RoleBinding lease = rendered.one(RoleBinding.class);
    assertThat(lease.getRoleRef().getKind()).isEqualTo("Role");
    assertThat(lease.getRoleRef().getName()).isEqualTo(rendered.one(Role.class).getMetadata().getName());
    assertThat(lease.getMetadata().getNamespace()).isEqualTo(Chart.NAMESPACE);
    assertThat(lease.getSubjects()).singleElement().satisfies(s -> isOperator(s, rendered));
  }

  @Test
  void watched_namespaces_get_a_role_binding_each_and_nothing_is_granted_cluster_wide() {
    Chart.Rendered rendered = Chart.render(Map.of("watchNamespaces[0]", "team-a", "watchNamespaces[1]", "team-b"));
    assertThat(rendered.all(ClusterRoleBinding.class)).isEmpty();
    String clusterRole = rendered.one(ClusterRole.class).getMetadata().getName();
    List<RoleBinding> toClusterRole = rendered.all(RoleBinding.class).stream()
        .filter(b -> b.getRoleRef().getKind().equals("ClusterRole")).toList();
    assertThat(toClusterRole).extracting(b -> b.getMetadata().getNamespace())
        .containsExactlyInAnyOrder("team-a", "team-b");
    assertThat(toClusterRole).allSatisfy(b -> {
      assertThat(b.getRoleRef().getName()).isEqualTo(clusterRole);
      assertThat(b.getSubjects()).singleElement().satisfies(s -> isOperator(s, rendered));
    });
  }

  @Test
  void without_leader_election_no_lease_is_granted_and_the_operator_takes_none() {
    Chart.Rendered rendered = Chart.render(Map.of("leaderElection.enabled", "false"));
    assertThat(rendered.all(Role.class)).isEmpty();
    assertThat(rendered.all(RoleBinding.class)).isEmpty();
    List<String> args = rendered.one(Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0)
        .getArgs();
    assertThat(OperatorOptions.parse(args).leaderElection()).isFalse();
  }

  private static void isOperator(Subject subject, Chart.Rendered rendered) {
    assertThat(subject.getKind()).isEqualTo("ServiceAccount");
    assertThat(subject.getName()).isEqualTo(rendered.one(ServiceAccount.class).getMetadata().getName());
    assertThat(subject.getNamespace()).isEqualTo(Chart.NAMESPACE);
  }

  /** No wildcard, no non-resource URL: each rule says what it grants. */
  private static void isNarrow(PolicyRule rule) {
    assertThat(rule.getApiGroups()).doesNotContain("*");
    assertThat(rule.getResources()).doesNotContain("*").isNotEmpty();
    assertThat(rule.getVerbs()).doesNotContain("*").isNotEmpty();
    assertThat(rule.getNonResourceURLs()).isNullOrEmpty();
  }

  private static Set<String> permissions(List<PolicyRule> rules) {
    Set<String> out = new LinkedHashSet<>();
    for (PolicyRule r : rules) {
      for (String group : r.getApiGroups()) {
        for (String resource : r.getResources()) {
          for (String verb : r.getVerbs()) {
            out.add(OperatorApiCalls.permission(group, resource, verb));
          }
        }
      }
    }
    return out;
  }
}
