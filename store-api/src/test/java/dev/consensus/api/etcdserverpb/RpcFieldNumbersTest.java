package dev.consensus.api.etcdserverpb;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import dev.consensus.api.authpb.Permission;
import dev.consensus.api.mvccpb.KeyValue;
import io.grpc.MethodDescriptor.MethodType;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Guards a sample of the etcd 3.5 wire contract that our .proto files must keep: field
 * numbers, names and types, enum numbers, and the full names of services and methods. A
 * renumbered or renamed field would still compile and would silently break every etcd
 * client, so a few of the numbers clients depend on most are pinned here.
 */
class RpcFieldNumbersTest {

    @ParameterizedTest(name = "{0}.{1} = {2}")
    @CsvSource({
        "RangeRequest, key, 1",
        "RangeRequest, range_end, 2",
        "RangeRequest, limit, 3",
        "RangeRequest, revision, 4",
        "RangeRequest, serializable, 7",
        "RangeRequest, keys_only, 8",
        "RangeRequest, count_only, 9",
        "RangeRequest, max_create_revision, 13",
        "RangeResponse, count, 4",
        "PutRequest, prev_kv, 4",
        "PutRequest, ignore_lease, 6",
        "DeleteRangeResponse, prev_kvs, 3",
        "Compare, range_end, 64",
        "WatchCreateRequest, watch_id, 7",
        "WatchCreateRequest, fragment, 8",
        "WatchResponse, cancel_reason, 6",
        "WatchResponse, events, 11",
        "LeaseGrantRequest, TTL, 1",
        "LeaseTimeToLiveResponse, grantedTTL, 4",
        "Member, isLearner, 5",
        "MemberListRequest, linearizable, 1",
        "StatusResponse, raftAppliedIndex, 7",
        "StatusResponse, errors, 8",
        "StatusResponse, dbSizeInUse, 9",
        "StatusResponse, isLearner, 10",
        "AuthUserAddRequest, hashedPassword, 4",
    })
    void fieldHasEtcdsNumber(String message, String field, int number) {
        Descriptor descriptor = Rpc.getDescriptor().findMessageTypeByName(message);
        assertThat(descriptor).as(message).isNotNull();
        FieldDescriptor found = descriptor.findFieldByName(field);
        assertThat(found).as(message + "." + field).isNotNull();
        assertThat(found.getNumber()).as(message + "." + field).isEqualTo(number);
    }

    @Test
    void compareTargetUnionHoldsTheFiveTargetsAtEtcdsNumbers() {
        OneofDescriptor union = Compare.getDescriptor().getOneofs().stream()
                .filter(o -> o.getName().equals("target_union"))
                .findFirst()
                .orElseThrow();

        List<String> fields = union.getFields().stream()
                .map(f -> f.getName() + "=" + f.getNumber() + ":" + f.getType())
                .toList();

        assertThat(fields).containsExactly(
                "version=4:INT64",
                "create_revision=5:INT64",
                "mod_revision=6:INT64",
                "value=7:BYTES",
                "lease=8:INT64");
    }

    @Test
    void enumsKeepEtcdsNumbers() {
        assertThat(Compare.CompareTarget.LEASE.getNumber()).isEqualTo(4);
        assertThat(Compare.CompareResult.NOT_EQUAL.getNumber()).isEqualTo(3);
        assertThat(RangeRequest.SortTarget.VALUE.getNumber()).isEqualTo(4);
        assertThat(AlarmType.CORRUPT.getNumber()).isEqualTo(2);
        assertThat(WatchCreateRequest.FilterType.NODELETE.getNumber()).isEqualTo(1);
        assertThat(Permission.Type.READWRITE.getNumber()).isEqualTo(2);
    }

    @Test
    void messagesLiveInEtcdsProtoPackages() {
        assertThat(RangeRequest.getDescriptor().getFullName()).isEqualTo("etcdserverpb.RangeRequest");
        assertThat(KeyValue.getDescriptor().getFullName()).isEqualTo("mvccpb.KeyValue");
        assertThat(Permission.getDescriptor().getFullName()).isEqualTo("authpb.Permission");
    }

    @Test
    void methodsHaveEtcdsFullNamesAndStreamingKinds() {
        assertThat(KVGrpc.getRangeMethod().getFullMethodName()).isEqualTo("etcdserverpb.KV/Range");
        assertThat(ClusterGrpc.getMemberPromoteMethod().getFullMethodName())
                .isEqualTo("etcdserverpb.Cluster/MemberPromote");
        assertThat(AuthGrpc.getAuthStatusMethod().getFullMethodName()).isEqualTo("etcdserverpb.Auth/AuthStatus");

        assertThat(WatchGrpc.getWatchMethod().getType()).isEqualTo(MethodType.BIDI_STREAMING);
        assertThat(LeaseGrpc.getLeaseKeepAliveMethod().getType()).isEqualTo(MethodType.BIDI_STREAMING);
        assertThat(MaintenanceGrpc.getSnapshotMethod().getType()).isEqualTo(MethodType.SERVER_STREAMING);
        assertThat(MaintenanceGrpc.getStatusMethod().getType()).isEqualTo(MethodType.UNARY);
    }
}
