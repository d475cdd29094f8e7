package dev.consensus.store.testing;

import static dev.consensus.store.testing.EtcdRequests.bytes;
import static dev.consensus.store.testing.EtcdRequests.keys;
import static dev.consensus.store.testing.EtcdRequests.prefix;
import static dev.consensus.store.testing.EtcdRequests.rpcError;
import static dev.consensus.store.testing.EtcdRequests.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.consensus.api.etcdserverpb.AuthGrpc;
import dev.consensus.api.etcdserverpb.AuthStatusRequest;
import dev.consensus.api.etcdserverpb.Compare;
import dev.consensus.api.etcdserverpb.CompactionRequest;
import dev.consensus.api.etcdserverpb.DeleteRangeRequest;
import dev.consensus.api.etcdserverpb.DeleteRangeResponse;
import dev.consensus.api.etcdserverpb.LeaseGrantRequest;
import dev.consensus.api.etcdserverpb.LeaseGrantResponse;
import dev.consensus.api.etcdserverpb.LeaseKeepAliveRequest;
import dev.consensus.api.etcdserverpb.LeaseKeepAliveResponse;
import dev.consensus.api.etcdserverpb.LeaseLeasesRequest;
import dev.consensus.api.etcdserverpb.LeaseRevokeRequest;
import dev.consensus.api.etcdserverpb.LeaseStatus;
import dev.consensus.api.etcdserverpb.LeaseTimeToLiveRequest;
import dev.consensus.api.etcdserverpb.LeaseTimeToLiveResponse;
import dev.consensus.api.etcdserverpb.Member;
import dev.consensus.api.etcdserverpb.MemberListRequest;
import dev.consensus.api.etcdserverpb.MemberListResponse;
import dev.consensus.api.etcdserverpb.PutRequest;
import dev.consensus.api.etcdserverpb.PutResponse;
import dev.consensus.api.etcdserverpb.RangeRequest;
import dev.consensus.api.etcdserverpb.RangeResponse;
import dev.consensus.api.etcdserverpb.RequestOp;
import dev.consensus.api.etcdserverpb.ResponseOp;
import dev.consensus.api.etcdserverpb.StatusRequest;
import dev.consensus.api.etcdserverpb.StatusResponse;
import dev.consensus.api.etcdserverpb.TxnRequest;
import dev.consensus.api.etcdserverpb.TxnResponse;
import dev.consensus.api.mvccpb.KeyValue;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our generated stubs against a real etcd: every message we encode is accepted and every answer
 * decodes, field by field, the way etcd means it. It also records, as assertions, the behaviour
 * our server must reproduce (error codes and words, revisions, what prev_kv carries).
 *
 * <p>The etcd on this machine is Debian's 3.4; we implement the 3.5 API. Where 3.4 and 3.5 differ
 * the test says so next to the assertion. Each test works under its own key prefix, so the one
 * etcd this class shares stays valid whatever order the tests run in. Watch has its own class,
 * {@link EtcdWatchCompatibilityTest}.
 */
class EtcdWireCompatibilityTest {

    @TempDir
    static Path tempDir;

    static EtcdProcess etcd;

    @BeforeAll
    static void startEtcd() {
        etcd = EtcdProcess.start(tempDir);
    }

    @AfterAll
    static void stopEtcd() {
        if (etcd != null) {
            etcd.close();
        }
    }

    @Test
    void put_with_prev_kv_returns_the_pair_it_replaced() {
        PutResponse first = put("/put/k", "v1");
        PutResponse second = etcd.kv().put(PutRequest.newBuilder()
                .setKey(bytes("/put/k")).setValue(bytes("v2")).setPrevKv(true).build());

        assertThat(second.getHeader().getRevision()).isEqualTo(first.getHeader().getRevision() + 1);
        KeyValue prev = second.getPrevKv();
        assertThat(text(prev.getValue())).isEqualTo("v1");
        assertThat(prev.getVersion()).isEqualTo(1);
        assertThat(prev.getCreateRevision()).isEqualTo(first.getHeader().getRevision());
        assertThat(prev.getModRevision()).isEqualTo(first.getHeader().getRevision());
        // Without prev_kv the field is simply absent.
        assertThat(put("/put/k", "v3").hasPrevKv()).isFalse();
    }

    @Test
    void range_honours_limit_sort_filters_keys_only_and_count_only() {
        // Values run opposite to keys, so sorting by value reverses the key order.
        List<Long> revisions = List.of("a", "b", "c", "d", "e").stream()
                .map(k -> put("/range/" + k, String.valueOf((char) ('5' - (k.charAt(0) - 'a'))))
                        .getHeader().getRevision())
                .toList();
        RangeRequest all = prefix("/range/");

        RangeResponse limited = etcd.kv().range(all.toBuilder().setLimit(2)
                .setSortOrder(RangeRequest.SortOrder.DESCEND).setSortTarget(RangeRequest.SortTarget.KEY).build());
        assertThat(keys(limited)).containsExactly("/range/e", "/range/d");
        assertThat(limited.getMore()).isTrue();
        assertThat(limited.getCount()).as("count ignores the limit").isEqualTo(5);

        RangeResponse byValue = etcd.kv().range(all.toBuilder()
                .setSortOrder(RangeRequest.SortOrder.ASCEND).setSortTarget(RangeRequest.SortTarget.VALUE).build());
        assertThat(keys(byValue)).containsExactly("/range/e", "/range/d", "/range/c", "/range/b", "/range/a");

        RangeResponse countOnly = etcd.kv().range(all.toBuilder().setCountOnly(true).build());
        assertThat(countOnly.getKvsList()).isEmpty();
        assertThat(countOnly.getCount()).isEqualTo(5);

        RangeResponse keysOnly = etcd.kv().range(all.toBuilder().setKeysOnly(true).build());
        assertThat(keys(keysOnly)).hasSize(5);
        assertThat(keysOnly.getKvsList()).allSatisfy(kv -> assertThat(kv.getValue().isEmpty()).isTrue());

        RangeResponse recent = etcd.kv().range(all.toBuilder().setMinModRevision(revisions.get(2)).build());
        assertThat(keys(recent)).containsExactly("/range/c", "/range/d", "/range/e");
        assertThat(recent.getCount()).as("count ignores the revision filters").isEqualTo(5);

        RangeResponse past = etcd.kv().range(all.toBuilder().setRevision(revisions.get(1)).build());
        assertThat(keys(past)).containsExactly("/range/a", "/range/b");
        assertThat(past.getHeader().getRevision()).as("the header carries the current revision")
                .isEqualTo(revisions.get(4));
    }

    @Test
    void txn_guards_on_value_version_create_mod_and_lease() {
        long lease = etcd.lease().leaseGrant(LeaseGrantRequest.newBuilder().setTTL(60).build()).getID();
        long rev = etcd.kv().put(PutRequest.newBuilder().setKey(bytes("/txn/k")).setValue(bytes("v"))
                .setLease(lease).build()).getHeader().getRevision();
        Function<Compare.CompareTarget, Compare.Builder> on = target -> Compare.newBuilder()
                .setKey(bytes("/txn/k")).setTarget(target).setResult(Compare.CompareResult.EQUAL);
        TxnRequest guarded = TxnRequest.newBuilder()
                .addCompare(on.apply(Compare.CompareTarget.VALUE).setValue(bytes("v")))
                .addCompare(on.apply(Compare.CompareTarget.VERSION).setVersion(1))
                .addCompare(on.apply(Compare.CompareTarget.CREATE).setCreateRevision(rev))
                .addCompare(on.apply(Compare.CompareTarget.MOD).setModRevision(rev))
                .addCompare(on.apply(Compare.CompareTarget.LEASE).setLease(lease))
                .addCompare(on.apply(Compare.CompareTarget.VERSION).setKey(bytes("/txn/"))
                        .setRangeEnd(bytes("/txn0")).setResult(Compare.CompareResult.GREATER).setVersion(0))
                .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder()
                        .setKey(bytes("/txn/k")).setValue(bytes("w")).setPrevKv(true)))
                .addSuccess(RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(bytes("/txn/k"))))
                .addFailure(RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(bytes("/txn/k"))))
                .build();

        TxnResponse passed = etcd.kv().txn(guarded);
        assertThat(passed.getSucceeded()).isTrue();
        assertThat(passed.getHeader().getRevision()).isEqualTo(rev + 1);
        assertThat(passed.getResponsesList()).extracting(ResponseOp::getResponseCase)
                .containsExactly(ResponseOp.ResponseCase.RESPONSE_PUT, ResponseOp.ResponseCase.RESPONSE_RANGE);
        assertThat(text(passed.getResponses(0).getResponsePut().getPrevKv().getValue())).isEqualTo("v");
        KeyValue after = passed.getResponses(1).getResponseRange().getKvs(0);
        assertThat(text(after.getValue())).as("later ops see earlier ones").isEqualTo("w");
        assertThat(after.getLease()).as("a put without lease detaches the key").isZero();

        // The same guard now fails on value, version, mod and lease: the failure branch runs
        // and, having only a read, makes no new revision.
        TxnResponse failed = etcd.kv().txn(guarded);
        assertThat(failed.getSucceeded()).isFalse();
        assertThat(failed.getHeader().getRevision()).isEqualTo(rev + 1);
        assertThat(failed.getResponses(0).getResponseCase()).isEqualTo(ResponseOp.ResponseCase.RESPONSE_RANGE);
    }

    @Test
    void delete_range_with_prev_kv_returns_every_deleted_pair() {
        put("/del/a", "1");
        put("/del/b", "2");
        long before = put("/del/c", "3").getHeader().getRevision();

        DeleteRangeResponse deleted = etcd.kv().deleteRange(DeleteRangeRequest.newBuilder()
                .setKey(bytes("/del/")).setRangeEnd(bytes("/del0")).setPrevKv(true).build());

        assertThat(deleted.getDeleted()).isEqualTo(3);
        assertThat(deleted.getPrevKvsList()).extracting(kv -> text(kv.getKey()) + "=" + text(kv.getValue()))
                .containsExactly("/del/a=1", "/del/b=2", "/del/c=3");
        assertThat(deleted.getHeader().getRevision()).as("one revision for the whole range").isEqualTo(before + 1);
        assertThat(etcd.kv().range(prefix("/del/")).getCount()).isZero();

        DeleteRangeResponse nothing = etcd.kv().deleteRange(DeleteRangeRequest.newBuilder()
                .setKey(bytes("/del/a")).setPrevKv(true).build());
        assertThat(nothing.getDeleted()).isZero();
        assertThat(nothing.getHeader().getRevision()).as("deleting nothing makes no revision").isEqualTo(before + 1);
    }

    @Test
    void a_range_below_the_compacted_revision_is_out_of_range_in_etcds_words() {
        long r1 = put("/compact/k", "v1").getHeader().getRevision();
        long r2 = put("/compact/k", "v2").getHeader().getRevision();

        etcd.kv().compact(CompactionRequest.newBuilder().setRevision(r2).setPhysical(true).build());

        assertThat(rpcError(() -> etcd.kv().range(RangeRequest.newBuilder()
                .setKey(bytes("/compact/k")).setRevision(r1).build())))
                .isEqualTo(Status.Code.OUT_OF_RANGE + ": etcdserver: mvcc: required revision has been compacted");
        assertThat(keys(etcd.kv().range(RangeRequest.newBuilder().setKey(bytes("/compact/k")).setRevision(r2).build())))
                .as("the compaction revision itself stays readable").containsExactly("/compact/k");
        assertThat(rpcError(() -> etcd.kv().compact(CompactionRequest.newBuilder().setRevision(r1).build())))
                .isEqualTo(Status.Code.OUT_OF_RANGE + ": etcdserver: mvcc: required revision has been compacted");
        assertThat(rpcError(() -> etcd.kv().range(RangeRequest.newBuilder()
                .setKey(bytes("/compact/k")).setRevision(r2 + 1000).build())))
                .isEqualTo(Status.Code.OUT_OF_RANGE + ": etcdserver: mvcc: required revision is a future revision");
    }

    @Test
    void a_lease_is_granted_kept_alive_lists_its_keys_and_revoking_it_deletes_them() {
        LeaseGrantResponse granted = etcd.lease().leaseGrant(LeaseGrantRequest.newBuilder().setTTL(60).build());
        long id = granted.getID();
        assertThat(id).isNotZero();
        assertThat(granted.getTTL()).isEqualTo(60);
        assertThat(granted.getError()).isEmpty();
        for (String key : List.of("/lease/a", "/lease/b")) {
            etcd.kv().put(PutRequest.newBuilder().setKey(bytes(key)).setValue(bytes("x")).setLease(id).build());
        }

        LeaseTimeToLiveResponse ttl = etcd.lease().leaseTimeToLive(
                LeaseTimeToLiveRequest.newBuilder().setID(id).setKeys(true).build());
        assertThat(ttl.getID()).isEqualTo(id);
        assertThat(ttl.getGrantedTTL()).isEqualTo(60);
        assertThat(ttl.getTTL()).isBetween(1L, 60L);
        assertThat(ttl.getKeysList()).extracting(EtcdRequests::text)
                .containsExactlyInAnyOrder("/lease/a", "/lease/b");
        assertThat(etcd.lease().leaseLeases(LeaseLeasesRequest.getDefaultInstance()).getLeasesList())
                .extracting(LeaseStatus::getID).contains(id);

        RecordingObserver<LeaseKeepAliveResponse> keepAlives = new RecordingObserver<>();
        StreamObserver<LeaseKeepAliveRequest> requests = etcd.leaseAsync().leaseKeepAlive(keepAlives);
        requests.onNext(LeaseKeepAliveRequest.newBuilder().setID(id).build());
        LeaseKeepAliveResponse renewed = keepAlives.next(EtcdProcess.RPC_TIMEOUT);
        requests.onCompleted();
        assertThat(renewed.getID()).isEqualTo(id);
        assertThat(renewed.getTTL()).isEqualTo(60);

        etcd.lease().leaseRevoke(LeaseRevokeRequest.newBuilder().setID(id).build());
        assertThat(etcd.kv().range(prefix("/lease/")).getCount()).isZero();
        assertThat(etcd.lease().leaseTimeToLive(LeaseTimeToLiveRequest.newBuilder().setID(id).build()).getTTL())
                .as("an unknown lease has TTL -1, not an error").isEqualTo(-1);
        assertThat(rpcError(() -> etcd.lease().leaseRevoke(LeaseRevokeRequest.newBuilder().setID(id).build())))
                .isEqualTo(Status.Code.NOT_FOUND + ": etcdserver: requested lease not found");
    }

    @Test
    void status_decodes_every_field() {
        put("/status/k", "v");
        StatusResponse status = etcd.maintenance().status(StatusRequest.getDefaultInstance());

        assertThat(status.getHeader().getClusterId()).isNotZero();
        assertThat(status.getHeader().getMemberId()).isNotZero();
        assertThat(status.getVersion()).matches("3\\.\\d+\\.\\d+");
        assertThat(status.getDbSize()).isPositive();
        assertThat(status.getLeader()).as("a single member leads itself").isEqualTo(status.getHeader().getMemberId());
        assertThat(status.getRaftIndex()).isPositive();
        assertThat(status.getRaftTerm()).isPositive().isEqualTo(status.getHeader().getRaftTerm());
        assertThat(status.getRaftAppliedIndex()).isPositive();
        assertThat(status.getErrorsList()).isEmpty();
        assertThat(status.getDbSizeInUse()).isPositive().isLessThanOrEqualTo(status.getDbSize());
        assertThat(status.getIsLearner()).isFalse();
    }

    @Test
    void member_list_shows_this_single_voting_member() {
        // 3.4 does not know MemberListRequest.linearizable (3.5) and ignores it as an unknown field.
        MemberListResponse list = etcd.cluster().memberList(MemberListRequest.newBuilder().setLinearizable(true).build());

        assertThat(list.getMembersList()).hasSize(1);
        Member member = list.getMembers(0);
        assertThat(member.getID()).isEqualTo(list.getHeader().getMemberId());
        assertThat(member.getName()).isEqualTo(EtcdProcess.NAME);
        assertThat(member.getPeerURLsList()).containsExactly(etcd.peerUrl());
        assertThat(member.getClientURLsList()).containsExactly(etcd.clientUrl());
        assertThat(member.getIsLearner()).isFalse();
    }

    @Test
    void etcdctl_reads_what_our_stubs_wrote_and_the_other_way_round() {
        put("/etcdctl/ours", "written by our stub");

        EtcdctlResult got = etcd.etcdctl("get", "/etcdctl/ours", "--print-value-only").requireSuccess();
        assertThat(got.stdout()).isEqualTo("written by our stub\n");

        etcd.etcdctl("put", "/etcdctl/theirs", "written by etcdctl").requireSuccess();
        assertThat(etcd.kv().range(RangeRequest.newBuilder().setKey(bytes("/etcdctl/theirs")).build())
                .getKvs(0).getValue()).isEqualTo(bytes("written by etcdctl"));
    }

    @Test
    void auth_status_exists_from_3_5_on() {
        String version = etcd.maintenance().status(StatusRequest.getDefaultInstance()).getVersion();
        AuthGrpc.AuthBlockingStub auth = AuthGrpc.newBlockingStub(etcd.channel())
                .withDeadlineAfter(EtcdProcess.RPC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);

        if (version.startsWith("3.4.")) {
            // Observed on 3.4.23: grpc-go's own answer for a method the server does not have.
            assertThat(rpcError(() -> auth.authStatus(AuthStatusRequest.getDefaultInstance())))
                    .isEqualTo(Status.Code.UNIMPLEMENTED + ": unknown method AuthStatus for service etcdserverpb.Auth");
        } else {
            // Not observed here (no 3.5 on this machine): 3.5 answers, with auth off by default.
            assertThat(auth.authStatus(AuthStatusRequest.getDefaultInstance()).getEnabled()).isFalse();
        }
    }

    static PutResponse put(String key, String value) {
        return EtcdRequests.put(etcd, key, value);
    }
}
