package dev.consensus.store.raft.confchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.consensus.store.raft.ConfChange;
import dev.consensus.store.raft.ConfChangeType;
import dev.consensus.store.raft.ConfState;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Single-member membership changes (thesis 4.1): each change adds, promotes or removes exactly
 * one member, and a change that does not fit the membership is refused with a reason.
 */
class MembershipChangeTest {

    private static final ConfState THREE_VOTERS_ONE_LEARNER = new ConfState(Set.of(1L, 2L, 3L), Set.of(4L));

    private static ConfState apply(ConfState conf, ConfChangeType type, long id) throws InvalidConfChangeException {
        return MembershipChange.apply(conf, new ConfChange(type, id));
    }

    @Test
    void add_learner_adds_a_non_voting_member() throws Exception {
        ConfState after = apply(THREE_VOTERS_ONE_LEARNER, ConfChangeType.ADD_LEARNER, 5);

        assertThat(after.voters()).containsExactly(1L, 2L, 3L);
        assertThat(after.learners()).containsExactly(4L, 5L);
    }

    @Test
    void add_learner_of_an_existing_learner_changes_nothing() throws Exception {
        assertThat(apply(THREE_VOTERS_ONE_LEARNER, ConfChangeType.ADD_LEARNER, 4)).isEqualTo(THREE_VOTERS_ONE_LEARNER);
    }

    @Test
    void add_learner_of_a_voter_is_refused_because_demotion_is_not_supported() {
        assertThatThrownBy(() -> apply(THREE_VOTERS_ONE_LEARNER, ConfChangeType.ADD_LEARNER, 2))
                .isInstanceOf(InvalidConfChangeException.class)
                .hasMessageContaining("is a voter");
    }

    @Test
    void promote_learner_turns_a_learner_into_a_voter() throws Exception {
        ConfState after = apply(THREE_VOTERS_ONE_LEARNER, ConfChangeType.PROMOTE_LEARNER, 4);

        assertThat(after.voters()).containsExactly(1L, 2L, 3L, 4L);
        assertThat(after.learners()).isEmpty();
    }

    @Test
    void promote_learner_of_a_voter_is_refused() {
        assertThatThrownBy(() -> apply(THREE_VOTERS_ONE_LEARNER, ConfChangeType.PROMOTE_LEARNER, 1))
                .isInstanceOf(InvalidConfChangeException.class)
                .hasMessageContaining("not a learner");
    }

    @Test
    void promote_learner_of_a_non_member_is_refused() {
        assertThatThrownBy(() -> apply(THREE_VOTERS_ONE_LEARNER, ConfChangeType.PROMOTE_LEARNER, 9))
                .isInstanceOf(InvalidConfChangeException.class)
                .hasMessageContaining("not a learner");
    }

    @Test
    void add_voter_adds_a_new_member_that_votes_at_once() throws Exception {
        ConfState after = apply(THREE_VOTERS_ONE_LEARNER, ConfChangeType.ADD_VOTER, 5);

        assertThat(after.voters()).containsExactly(1L, 2L, 3L, 5L);
        assertThat(after.learners()).containsExactly(4L);
    }

    @Test
    void add_voter_of_a_learner_promotes_it() throws Exception {
        ConfState after = apply(THREE_VOTERS_ONE_LEARNER, ConfChangeType.ADD_VOTER, 4);

        assertThat(after.voters()).containsExactly(1L, 2L, 3L, 4L);
        assertThat(after.learners()).isEmpty();
    }

    @Test
    void add_voter_of_a_voter_changes_nothing() throws Exception {
        assertThat(apply(THREE_VOTERS_ONE_LEARNER, ConfChangeType.ADD_VOTER, 2)).isEqualTo(THREE_VOTERS_ONE_LEARNER);
    }

    @Test
    void remove_member_removes_a_voter() throws Exception {
        ConfState after = apply(THREE_VOTERS_ONE_LEARNER, ConfChangeType.REMOVE_MEMBER, 2);

        assertThat(after.voters()).containsExactly(1L, 3L);
        assertThat(after.learners()).containsExactly(4L);
    }

    @Test
    void remove_member_removes_a_learner() throws Exception {
        ConfState after = apply(THREE_VOTERS_ONE_LEARNER, ConfChangeType.REMOVE_MEMBER, 4);

        assertThat(after.voters()).containsExactly(1L, 2L, 3L);
        assertThat(after.learners()).isEmpty();
    }

    @Test
    void remove_member_of_a_non_member_is_refused() {
        assertThatThrownBy(() -> apply(THREE_VOTERS_ONE_LEARNER, ConfChangeType.REMOVE_MEMBER, 9))
                .isInstanceOf(InvalidConfChangeException.class)
                .hasMessageContaining("not a member");
    }

    @Test
    void removing_the_last_voter_is_refused_even_when_learners_remain() {
        ConfState lastVoter = new ConfState(Set.of(1L), Set.of(2L));

        assertThatThrownBy(() -> apply(lastVoter, ConfChangeType.REMOVE_MEMBER, 1))
                .isInstanceOf(InvalidConfChangeException.class)
                .hasMessageContaining("last voter");
    }

    @Test
    void the_learner_of_a_single_voter_cluster_may_still_be_removed() throws Exception {
        ConfState after = apply(new ConfState(Set.of(1L), Set.of(2L)), ConfChangeType.REMOVE_MEMBER, 2);

        assertThat(after).isEqualTo(ConfState.ofVoters(1L));
    }

    @Test
    void applying_a_change_leaves_the_input_membership_untouched() throws Exception {
        ConfState before = new ConfState(Set.of(1L, 2L, 3L), Set.of(4L));

        apply(before, ConfChangeType.PROMOTE_LEARNER, 4);
        apply(before, ConfChangeType.REMOVE_MEMBER, 1);

        assertThat(before).isEqualTo(THREE_VOTERS_ONE_LEARNER);
    }
}
