package dev.consensus.store.raft;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The consensus core stays a pure state machine (DESIGN.md): no threads, sockets, files or
 * clocks, and nothing but the JDK. This is what lets the simulator drive it deterministically.
 */
class RaftArchitectureTest {

    private final JavaClasses core = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.consensus.store.raft");

    @Test
    void the_core_does_no_io_and_uses_no_threads_or_clocks() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage(
                        "java.io..", "java.nio.file..", "java.nio.channels..", "java.net..", "java.time..",
                        "java.util.concurrent..", "java.lang.reflect..")
                .orShould().dependOnClassesThat().belongToAnyOf(Thread.class, Runtime.class, ProcessBuilder.class)
                .orShould().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(System.class, "nanoTime")
                .because("the core must be deterministic: every effect goes through Ready")
                .check(core);
    }

    @Test
    void the_core_depends_on_nothing_but_the_jdk() {
        noClasses().should().dependOnClassesThat().resideOutsideOfPackages("java..", "dev.consensus.store.raft..")
                .check(core);
    }
}
