package dev.consensus.store.raft.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * The in-flight window that bounds how far a leader pipelines appends ahead of a member's
 * acknowledgements (thesis 10.2.2, and the optimistic nextIndex of the Raft paper section 5.3).
 */
class InflightsTest {

    @Test
    void a_new_window_is_empty_and_not_full() {
        Inflights in = new Inflights(3, 100);

        assertThat(in.count()).isZero();
        assertThat(in.bytes()).isZero();
        assertThat(in.isFull()).isFalse();
    }

    @Test
    void the_window_is_full_once_the_message_bound_is_reached() {
        Inflights in = new Inflights(2, 1_000);
        in.add(1, 10);
        assertThat(in.isFull()).isFalse();

        in.add(2, 10);

        assertThat(in.isFull()).isTrue();
        assertThat(in.count()).isEqualTo(2);
        assertThat(in.bytes()).isEqualTo(20);
    }

    @Test
    void the_window_is_full_once_the_byte_bound_is_reached_even_with_few_messages() {
        Inflights in = new Inflights(10, 100);
        in.add(1, 60);
        assertThat(in.isFull()).isFalse();

        in.add(2, 40);

        assertThat(in.isFull()).isTrue();
    }

    @Test
    void adding_to_a_full_window_is_refused() {
        Inflights in = new Inflights(1, 100);
        in.add(1, 10);

        assertThatThrownBy(() -> in.add(2, 10)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void indexes_must_strictly_increase() {
        Inflights in = new Inflights(5, 100);
        in.add(5, 10);

        assertThatThrownBy(() -> in.add(5, 10)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> in.add(4, 10)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void free_to_releases_every_append_up_to_the_acknowledged_index() {
        Inflights in = new Inflights(5, 1_000);
        in.add(3, 10);
        in.add(6, 20);
        in.add(9, 30);

        in.freeTo(6);

        assertThat(in.count()).isEqualTo(1);
        assertThat(in.bytes()).isEqualTo(30);
    }

    @Test
    void free_to_an_index_inside_an_append_keeps_that_append() {
        Inflights in = new Inflights(5, 1_000);
        in.add(3, 10);
        in.add(6, 20);

        // Index 5 acknowledges only part of the append ending at 6, so it stays in flight.
        in.freeTo(5);

        assertThat(in.count()).isEqualTo(1);
        assertThat(in.bytes()).isEqualTo(20);
    }

    @Test
    void free_to_below_every_append_frees_nothing() {
        Inflights in = new Inflights(5, 1_000);
        in.add(3, 10);

        in.freeTo(2);

        assertThat(in.count()).isEqualTo(1);
    }

    @Test
    void free_first_makes_room_in_a_full_window() {
        Inflights in = new Inflights(2, 1_000);
        in.add(1, 10);
        in.add(2, 15);

        in.freeFirst();

        assertThat(in.isFull()).isFalse();
        assertThat(in.count()).isEqualTo(1);
        assertThat(in.bytes()).isEqualTo(15);
        in.freeFirst();
        in.freeFirst();
        assertThat(in.count()).as("freeing an empty window is harmless").isZero();
    }

    @Test
    void reset_empties_the_window() {
        Inflights in = new Inflights(2, 1_000);
        in.add(1, 10);
        in.add(2, 10);

        in.reset();

        assertThat(in.count()).isZero();
        assertThat(in.bytes()).isZero();
        in.add(1, 10);
        assertThat(in.count()).as("indexes may start over after a reset").isEqualTo(1);
    }

    @Test
    void non_positive_bounds_are_refused() {
        assertThatThrownBy(() -> new Inflights(0, 100)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Inflights(1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
