package dev.consensus.store.mvcc;

import static dev.consensus.store.mvcc.MvccFixture.bytes;
import static dev.consensus.store.mvcc.MvccFixture.etcdError;
import static dev.consensus.store.mvcc.MvccFixture.prefix;
import static org.assertj.core.api.Assertions.assertThat;

import dev.consensus.api.etcdserverpb.LeaseGrantRequest;
import dev.consensus.api.etcdserverpb.LeaseGrantResponse;
import dev.consensus.api.etcdserverpb.LeaseRevokeRequest;
import dev.consensus.api.etcdserverpb.PutRequest;
import io.grpc.Status;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Leases as the state machine keeps them: grant, attach, revoke, queries, and restart. */
class LeaseTest extends StoreTestBase {

    @Test
    void a_grant_with_an_id_gets_that_id_and_the_ttl_asked() {
        LeaseGrantResponse granted = grant(42, 60);
        assertThat(granted.getID()).isEqualTo(42);
        assertThat(granted.getTTL()).isEqualTo(60);
        assertThat(granted.getHeader().getRevision()).isEqualTo(1);
        assertThat(kv.store().lease(42)).hasValueSatisfying(l -> assertThat(l.grantedTtlSeconds()).isEqualTo(60));
        assertThat(kv.store().leases()).containsExactly(42L);
    }

    @Test
    void a_grant_without_an_id_gets_one_that_is_never_zero_and_the_same_on_every_replica() {
        long first = grant(0, 60).getID();
        long second = grant(0, 60).getID();
        assertThat(first).isPositive().isNotEqualTo(second);

        // Another replica applying the same entries chooses the same ids.
        try (MvccFixture replica = MvccFixture.open(dir.resolve("replica"))) {
            assertThat(replica.grant(0, 60)).isEqualTo(first);
            assertThat(replica.grant(0, 60)).isEqualTo(second);
        }
    }

    @Test
    void an_automatic_id_moves_past_an_id_in_use() {
        long wouldPick = idChosenAt(dir.resolve("probe"), 2);
        grant(wouldPick, 60);                                   // index 1 takes it first

        assertThat(grant(0, 60).getID()).isEqualTo(wouldPick + 1);  // index 2
    }

    @Test
    void a_short_ttl_is_raised_to_the_minimum_and_a_huge_one_is_refused() {
        assertThat(grant(1, 1).getTTL()).isEqualTo(2);
        assertThat(grant(2, -5).getTTL()).isEqualTo(2);
        assertThat(etcdError(() -> grant(3, MvccConfig.ETCD_MAX_LEASE_TTL_SECONDS + 1)))
                .isEqualTo(EtcdError.LEASE_TTL_TOO_LARGE);
        assertThat(EtcdError.LEASE_TTL_TOO_LARGE.code()).isEqualTo(Status.Code.OUT_OF_RANGE);
        assertThat(grant(4, MvccConfig.ETCD_MAX_LEASE_TTL_SECONDS).getTTL()).isEqualTo(MvccConfig.ETCD_MAX_LEASE_TTL_SECONDS);
    }

    @Test
    void the_minimum_ttl_is_configurable() {
        kv.close();
        kv = MvccFixture.open(dir, MvccConfig.defaults().withMinLeaseTtlSeconds(10));
        assertThat(grant(1, 5).getTTL()).isEqualTo(10);
        assertThat(grant(2, 11).getTTL()).isEqualTo(11);
    }

    @Test
    void granting_an_id_in_use_is_refused_with_lease_already_exists() {
        grant(7, 60);
        assertThat(etcdError(() -> grant(7, 30))).isEqualTo(EtcdError.LEASE_EXISTS);
        assertThat(EtcdError.LEASE_EXISTS.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(kv.store().lease(7).orElseThrow().grantedTtlSeconds()).isEqualTo(60);
    }

    @Test
    void revoking_deletes_every_attached_key_at_one_revision() {
        long lease = grant(9, 60).getID();
        attach("/l/a", lease);
        attach("/l/b", lease);
        kv.put("/l/c", "free");
        assertThat(kv.store().lease(lease).orElseThrow().keys()).containsExactly(bytes("/l/a"), bytes("/l/b"));

        long revision = kv.store().leaseRevoke(kv.next(), LeaseRevokeRequest.newBuilder().setID(lease).build())
                .getHeader().getRevision();

        assertThat(revision).isEqualTo(5);
        assertThat(kv.store().currentRevision()).isEqualTo(5);
        assertThat(MvccFixture.keys(kv.range(prefix("/l/")))).containsExactly("/l/c");
        assertThat(kv.store().lease(lease)).isEmpty();
        assertThat(kv.store().leases()).isEmpty();
    }

    @Test
    void revoking_a_lease_without_keys_makes_no_revision_and_an_unknown_one_is_not_found() {
        grant(9, 60);
        long revision = kv.store().leaseRevoke(kv.next(), LeaseRevokeRequest.newBuilder().setID(9).build())
                .getHeader().getRevision();
        assertThat(revision).isEqualTo(1);
        assertThat(etcdError(() -> kv.store().leaseRevoke(kv.next(), LeaseRevokeRequest.newBuilder().setID(9).build())))
                .isEqualTo(EtcdError.LEASE_NOT_FOUND);
    }

    @Test
    void leases_and_their_keys_survive_a_restart() {
        long lease = grant(11, 30).getID();
        attach("a", lease);
        attach("b", lease);
        kv.put("b", "detached");
        grant(12, 40);

        kv.reopen();

        assertThat(kv.store().leases()).containsExactly(11L, 12L);
        LeaseInfo info = kv.store().lease(11).orElseThrow();
        assertThat(info.grantedTtlSeconds()).isEqualTo(30);
        assertThat(info.keys()).containsExactly(bytes("a"));
        kv.store().leaseRevoke(kv.next(), LeaseRevokeRequest.newBuilder().setID(11).build());
        assertThat(kv.value("a")).isNull();
        assertThat(kv.value("b")).isEqualTo("detached");
    }

    private LeaseGrantResponse grant(long id, long ttl) {
        return kv.store().leaseGrant(kv.next(), LeaseGrantRequest.newBuilder().setID(id).setTTL(ttl).build());
    }

    private void attach(String key, long lease) {
        kv.put(PutRequest.newBuilder().setKey(bytes(key)).setValue(bytes("v")).setLease(lease));
    }

    private static long idChosenAt(Path scratch, long index) {
        try (MvccStore store = MvccStore.open(scratch, MvccConfig.defaults())) {
            return store.leaseGrant(new RaftPosition(index, 1), LeaseGrantRequest.newBuilder().setTTL(60).build())
                    .getID();
        }
    }
}
