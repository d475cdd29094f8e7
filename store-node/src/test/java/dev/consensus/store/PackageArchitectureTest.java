package dev.consensus.store;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Arrows between store-node's packages point one way (DESIGN.md): the server wires the Raft
 * core, the write-ahead log and the state machine together, and none of those three knows the
 * others beyond what it must implement. The WAL implements the core's LogStorage; the state
 * machine knows neither, so it can be tested, and replaced, on its own.
 */
class PackageArchitectureTest {

    private final JavaClasses main = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.consensus.store");

    @Test
    void the_state_machine_knows_neither_the_raft_core_nor_the_write_ahead_log() {
        noClasses().that().resideInAPackage("dev.consensus.store.mvcc..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "dev.consensus.store.raft..", "dev.consensus.store.storage..")
                .check(main);
    }

    @Test
    void the_write_ahead_log_does_not_know_the_state_machine() {
        noClasses().that().resideInAPackage("dev.consensus.store.storage..")
                .should().dependOnClassesThat().resideInAPackage("dev.consensus.store.mvcc..")
                .check(main);
    }

    @Test
    void metrics_are_told_and_know_none_of_the_packages_that_tell_them() {
        noClasses().that().resideInAPackage("dev.consensus.store.metrics..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "dev.consensus.store.server..", "dev.consensus.store.raft..", "dev.consensus.store.mvcc..",
                        "dev.consensus.store.storage..", "dev.consensus.store.cli..", "dev.consensus.store.transport..")
                .because("the server feeds the metrics; the arrow points one way")
                .check(main);
    }

    @Test
    void storage_and_state_machine_speak_no_grpc() {
        noClasses().that().resideInAnyPackage("dev.consensus.store.storage..", "dev.consensus.store.mvcc..")
                .should().dependOnClassesThat().resideInAnyPackage("io.grpc.stub..", "io.grpc.netty..")
                .because("transport is the server's job; the state machine only names gRPC status codes")
                .check(main);
    }

    @Test
    void the_peer_transport_carries_raft_messages_and_knows_nothing_of_storage_or_state() {
        noClasses().that().resideInAnyPackage("dev.consensus.store.transport..", "dev.consensus.store.tls..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.consensus.store.storage..",
                        "dev.consensus.store.mvcc..", "dev.consensus.store.cli..")
                .because("the server hands it messages and snapshot directories; it only moves them")
                .check(main);
    }
}
