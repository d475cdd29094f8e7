package dev.consensus.store.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

class DeadlinesTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final Deadlines deadlines = new Deadlines(100, now::get);

    @Test
    void a_request_outstanding_past_its_timeout_fails_with_a_timeout_at_the_next_sweep() {
        CompletableFuture<String> request = deadlines.track(new CompletableFuture<>());

        now.addAndGet(99_000_000L);
        deadlines.sweep();
        assertThat(request).isNotDone();

        now.addAndGet(1_000_000L);
        deadlines.sweep();
        Assertions.assertThatThrownBy(request::get).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(TimeoutException.class);
        assertThat(deadlines.outstanding()).isZero();
    }

    @Test
    void a_request_done_in_time_is_forgotten_and_keeps_its_result() {
        CompletableFuture<String> request = deadlines.track(new CompletableFuture<>());
        request.complete("applied");
        assertThat(deadlines.outstanding()).isZero();

        now.addAndGet(1_000_000_000L);
        deadlines.sweep();
        assertThat(request.join()).isEqualTo("applied");
    }

    @Test
    void each_request_has_its_own_deadline() {
        CompletableFuture<String> first = deadlines.track(new CompletableFuture<>());
        now.addAndGet(60_000_000L);
        CompletableFuture<String> second = deadlines.track(new CompletableFuture<>());
        now.addAndGet(60_000_000L);

        deadlines.sweep();

        assertThat(first).isCompletedExceptionally();
        assertThat(second).isNotDone();
        assertThat(deadlines.outstanding()).isEqualTo(1);
    }

    @Test
    void a_request_already_done_when_tracked_is_not_kept() {
        deadlines.track(CompletableFuture.completedFuture("done"));
        assertThat(deadlines.outstanding()).isZero();
    }
}
