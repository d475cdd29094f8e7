package dev.consensus.store.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LeaseKeeperTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final LeaseKeeper keeper = new LeaseKeeper(now::get);

    @Test
    void keepAliveRenewsALiveLease() {
        keeper.promote(Map.of(), 0, 1);
        keeper.granted(7, 2);
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(1500));
        assertThat(keeper.renew(7)).isEqualTo(OptionalLong.of(2));
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(1500));
        assertThat(keeper.expired(10, 1).ids()).isEmpty();
    }

    /** The fault harness's membership run, seed 1: a keep-alive answered TTL 2, then the revoke committed. */
    @Test
    void keepAliveDoesNotReviveALeaseWhoseRevokeWasProposed() {
        keeper.promote(Map.of(), 0, 1);
        keeper.granted(7, 2);
        now.addAndGet(TimeUnit.SECONDS.toNanos(3));
        assertThat(keeper.expired(10, TimeUnit.SECONDS.toNanos(5)).ids()).containsExactly(7L);

        assertThat(keeper.renew(7)).as("not found, as etcd answers while the revoke is under way").isEmpty();
        now.addAndGet(TimeUnit.SECONDS.toNanos(6));
        assertThat(keeper.expired(10, TimeUnit.SECONDS.toNanos(5)).ids()).as("proposed again if the first revoke was lost")
                .containsExactly(7L);
        keeper.revoked(7);
        assertThat(keeper.renew(7)).isEmpty();
    }

    /** Fault run mixed, seed 13: an old leader's last renewal may come after the new leader's election. */
    @Test
    void aNewLeaderGivesEveryLeaseAnElectionTimeoutMoreThanItsTtl() {
        long election = TimeUnit.MILLISECONDS.toNanos(1000);
        keeper.promote(Map.of(7L, 2L), election, 1);
        assertThat(keeper.remainingSeconds(7)).isEqualTo(OptionalLong.of(3));
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(2500));
        assertThat(keeper.expired(10, 1).ids()).as("within TTL plus the election timeout").isEmpty();
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(600));
        assertThat(keeper.expired(10, 1).ids()).containsExactly(7L);
    }

    @Test
    void expiredLeasesCarryTheTermOfTheLeaderThatFoundThem() {
        keeper.promote(Map.of(7L, 2L), 0, 12);
        now.addAndGet(TimeUnit.SECONDS.toNanos(3));
        assertThat(keeper.expired(10, 1)).isEqualTo(new LeaseKeeper.Expired(12, java.util.List.of(7L)));
        keeper.demote();
        assertThat(keeper.expired(10, 1)).isEqualTo(new LeaseKeeper.Expired(0, java.util.List.of()));
    }
}
