package dev.consensus.faults.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

/** Which gRPC errors prove an operation never happened (fail) and which leave it open (indeterminate). */
class ErrorsTest {

    @Test
    void refusalsBeforeProposingAreFailures() {
        assertThat(Errors.provesNotApplied(Status.NOT_FOUND.withDescription("etcdserver: requested lease not found")
                .asRuntimeException())).isTrue();
        assertThat(Errors.provesNotApplied(Status.RESOURCE_EXHAUSTED
                .withDescription("etcdserver: mvcc: database space exceeded").asRuntimeException())).isTrue();
        assertThat(Errors.provesNotApplied(Status.UNAVAILABLE.withDescription("etcdserver: no leader")
                .asRuntimeException())).isTrue();
        assertThat(Errors.provesNotApplied(Status.UNAVAILABLE
                .withDescription("etcdserver: rpc not supported for learner").asRuntimeException())).isTrue();
        assertThat(Errors.provesNotApplied(Status.UNAVAILABLE.withDescription("io exception")
                .withCause(new ConnectException("Connection refused")).asRuntimeException())).isTrue();
    }

    @Test
    void timeoutsAndLostConnectionsAreIndeterminate() {
        assertThat(Errors.provesNotApplied(Status.DEADLINE_EXCEEDED.asRuntimeException())).isFalse();
        assertThat(Errors.provesNotApplied(Status.UNAVAILABLE.withDescription("etcdserver: request timed out")
                .asRuntimeException())).isFalse();
        assertThat(Errors.provesNotApplied(Status.UNAVAILABLE.withDescription("etcdserver: leader changed")
                .asRuntimeException())).isFalse();
        assertThat(Errors.provesNotApplied(Status.UNAVAILABLE.withDescription("io exception")
                .withCause(new java.io.IOException("Connection reset by peer")).asRuntimeException())).isFalse();
        assertThat(Errors.provesNotApplied(new IllegalStateException("not a gRPC status"))).isFalse();
    }
}
