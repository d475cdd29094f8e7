package dev.consensus.store.raft;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void three_members_elect_a_leader_and_commit_a_write_on_every_member() {
        TestCluster c = TestCluster.of(1, 2, 3).elect(1);
        assertThat(c.leader()).isEqualTo(1);
        assertThat(c.propose(1, "x=1")).isEqualTo(ProposeResult.APPENDED);
        c.stabilize();
        c.tickAll(1);
        for (long id = 1; id <= 3; id++) {
            assertThat(c.appliedData(id)).as("node %d", id).containsExactly("x=1");
        }
    }
}
