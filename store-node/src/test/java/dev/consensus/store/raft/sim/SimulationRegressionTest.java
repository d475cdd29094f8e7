package dev.consensus.store.raft.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Seeds that once failed, each named for the bug it found, so that bug stays found. The comment
 * on each says what broke and what the fix was.
 */
class SimulationRegressionTest {

    private static void passes(long seed) {
        SimulationResult result = Simulation.run(seed, null);
        assertThat(result.ok()).as(result.toString()).isTrue();
    }

    /**
     * A member added after bootstrap replicated the log from index 1 but never saw the initial
     * membership (then held only in a bootstrap snapshot), counted itself the only voter once
     * promoted, and elected itself beside the real leader. Fix: the initial membership is
     * committed conf-change entries at term 1 (ClusterBootstrap).
     */
    @Test
    void seed_38_joining_member_learns_the_initial_membership_from_the_log() {
        passes(38);
    }

    /**
     * The checker took a stale leader's own uncommitted append, conflicting with what the new
     * majority had committed, for lost data. Fix (in the checker): only entries within the
     * writing node's own commit index must match the committed history.
     */
    @Test
    void seed_123_a_stale_leaders_uncommitted_append_is_not_lost_data() {
        passes(123);
    }

    /**
     * A removed member was shut down before the survivors knew its removal committed; under the
     * old membership they still needed its vote. Fix (in the simulation's policy): a removed
     * member leaves only once every remaining voter has the removal committed on disk.
     */
    @Test
    void seed_202_removed_member_stays_until_the_survivors_know_its_removal() {
        passes(202);
    }

    /**
     * A leader kept taking writes after proposing its own removal, stepped down with a log longer
     * than the survivor's, and the survivor could never win its vote. Fix: a leader whose own
     * removal is in its log takes no more proposals, and hands over to a caught-up voter.
     */
    @Test
    void seed_80_removed_leader_takes_no_proposals_after_its_removal() {
        passes(80);
    }

    /**
     * The same deadlock when the removed leader crashed before handing over. Fix: membership
     * takes effect when appended (thesis 4.1), so survivors holding the removal stop counting the
     * removed node at once.
     */
    @Test
    void seed_6368_removed_leader_crashing_before_hand_over_does_not_block_survivors() {
        passes(6368);
    }

    /**
     * A leader that appended its own removal crashed before the survivor received it; on restart
     * it counted itself removed and would not campaign, while the survivor needed its vote. Fix:
     * a node whose removal is not yet committed may still campaign and lead (thesis 4.2.2).
     */
    @Test
    void seed_155_member_whose_removal_is_uncommitted_can_still_lead() {
        passes(155);
    }

    /**
     * A voter granted its term-20 vote and, before persisting it, moved on to term 21 and voted
     * there; only term 21 reached the disk. That is safe (it can never vote in term 20 again),
     * but the checker counted only votes seen on disk. Fix (in the checker): a granted vote is
     * checked for durability when sent, and the vote quorum is counted from the grants sent.
     */
    @Test
    void seed_20702_a_vote_made_durable_by_a_later_term_counts() {
        passes(20702);
    }

    /**
     * A TimeoutNow sent just before its transfer was aborted arrived during the pre-vote probe.
     * Fix (in the probe): messages in flight are lost when the probe cuts the follower off.
     */
    @Test
    void seed_20187_probe_drops_a_timeout_now_still_in_flight() {
        passes(20187);
    }

    /**
     * The pre-vote probe started while a leadership transfer was still pending, and took the
     * transfer's completion for a disruption. Fix (in the probe): a settled cluster has no
     * transfer under way.
     */
    @Test
    void seed_3585_probe_waits_for_a_pending_leadership_transfer() {
        passes(3585);
    }
}
