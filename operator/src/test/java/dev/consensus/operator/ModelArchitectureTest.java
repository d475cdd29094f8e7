package dev.consensus.operator;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The model and health packages describe and compute; they never talk to anything. */
class ModelArchitectureTest {

  private final JavaClasses classes = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.consensus.operator");

  @Test
  void model_and_health_do_no_io_and_use_no_client() {
    noClasses().that().resideInAnyPackage("dev.consensus.operator.model..", "dev.consensus.operator.health..")
        .should().dependOnClassesThat().resideInAnyPackage("java.io..", "java.nio.file..", "java.net.http..",
            "io.fabric8.kubernetes.client.dsl..", "io.grpc..")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("io.fabric8.kubernetes.client.KubernetesClient")
        .orShould().callMethod(System.class, "currentTimeMillis")
        .orShould().callMethod(java.time.Instant.class, "now")
        .check(classes);
  }

  /** The planner decides from an observation alone, so that it can be tested without anything running. */
  @Test
  void the_planner_does_no_io_and_uses_no_client() {
    noClasses().that().haveFullyQualifiedName("dev.consensus.operator.reconcile.Planner")
        .or().haveFullyQualifiedName("dev.consensus.operator.reconcile.RollingRestart")
        .or().haveFullyQualifiedName("dev.consensus.operator.reconcile.JoiningConfig")
        .or().haveFullyQualifiedName("dev.consensus.operator.reconcile.ClusterState")
        .should().dependOnClassesThat().resideInAnyPackage("java.io..", "java.nio.file..", "java.net.http..",
            "io.fabric8.kubernetes.client..", "io.grpc..", "dev.consensus.operator.members..")
        .orShould().callMethod(System.class, "currentTimeMillis")
        .orShould().callMethod(java.time.Instant.class, "now")
        .check(classes);
  }
}
