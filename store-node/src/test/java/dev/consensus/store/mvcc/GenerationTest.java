package dev.consensus.store.mvcc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A generation keeps its revisions packed in an array that grows and shrinks with them. */
class GenerationTest {

    @Test
    void revisions_appended_past_the_first_capacity_keep_their_order_and_versions() {
        Generation g = new Generation();
        for (int i = 1; i <= 1000; i++) {
            g.append(new Revision(10L * i, i % 3));
        }
        assertThat(g.size()).isEqualTo(1000);
        assertThat(g.created()).isEqualTo(new Revision(10, 1));
        assertThat(g.revisionAt(499)).isEqualTo(new Revision(5000, 500 % 3));
        assertThat(g.versionAt(499)).isEqualTo(500);
        assertThat(g.newestAtOrBefore(5005)).isEqualTo(499);
        assertThat(g.newestAtOrBefore(9)).isEqualTo(-1);
        assertThat(g.lastMain()).isEqualTo(10_000);
    }

    @Test
    void dropping_a_prefix_keeps_the_rest_and_their_versions() {
        Generation g = new Generation();
        for (int i = 1; i <= 10; i++) {
            g.append(new Revision(i, 0));
        }
        g.dropBefore(7);

        assertThat(g.size()).isEqualTo(3);
        assertThat(g.firstMain()).isEqualTo(8);
        assertThat(g.versionAt(0)).isEqualTo(8);
        g.append(new Revision(11, 0));
        assertThat(g.revisionAt(3)).isEqualTo(new Revision(11, 0));
        assertThat(g.versionAt(3)).isEqualTo(11);
    }

    @Test
    void undoing_the_only_append_empties_it() {
        Generation g = new Generation();
        g.append(new Revision(5, 0));
        g.removeLast();

        assertThat(g.isEmpty()).isTrue();
        assertThat(g.created()).isNull();
        assertThat(g.version()).isZero();
    }
}
