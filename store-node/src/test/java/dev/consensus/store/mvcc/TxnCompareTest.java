package dev.consensus.store.mvcc;

import static dev.consensus.store.mvcc.MvccFixture.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.consensus.api.etcdserverpb.Compare;
import dev.consensus.api.etcdserverpb.Compare.CompareResult;
import dev.consensus.api.etcdserverpb.Compare.CompareTarget;
import dev.consensus.api.etcdserverpb.PutRequest;
import dev.consensus.api.etcdserverpb.RangeRequest;
import dev.consensus.api.etcdserverpb.RequestOp;
import dev.consensus.api.etcdserverpb.TxnRequest;
import dev.consensus.api.mvccpb.KeyValue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every compare target against every result, with an operand below, equal to and above the key's
 * actual field; and etcd's rules for missing keys, ranges and mismatched operands. The txns only
 * read, so the shared store does not change between cases.
 */
class TxnCompareTest {

    @TempDir
    static Path dir;

    static MvccFixture kv;
    static KeyValue key;

    @BeforeAll
    static void fill() {
        kv = MvccFixture.open(dir);
        long lease = kv.grant(50, 60);
        kv.put("other", "x");
        kv.put(PutRequest.newBuilder().setKey(bytes("k")).setValue(bytes("m")).setLease(lease));
        kv.put(PutRequest.newBuilder().setKey(bytes("k")).setValue(bytes("m")).setLease(lease));
        kv.put("k2", "m");
        key = kv.get("k").getKvs(0);
        assertThat(key.getVersion()).isEqualTo(2);
        assertThat(key.getCreateRevision()).isNotEqualTo(key.getModRevision());
    }

    @AfterAll
    static void close() {
        kv.close();
    }

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (CompareTarget target : List.of(CompareTarget.VALUE, CompareTarget.VERSION, CompareTarget.CREATE,
                CompareTarget.MOD, CompareTarget.LEASE)) {
            for (CompareResult result : List.of(CompareResult.EQUAL, CompareResult.NOT_EQUAL, CompareResult.LESS,
                    CompareResult.GREATER)) {
                for (int offset = -1; offset <= 1; offset++) {
                    cases.add(Arguments.of(target, result, offset));
                }
            }
        }
        return cases.stream();
    }

    /** {@code offset} places the operand below (-1), at (0) or above (+1) the key's field. */
    @ParameterizedTest(name = "{0} {1} operand offset {2}")
    @MethodSource("cases")
    void a_compare_holds_exactly_when_the_field_relates_to_the_operand_as_asked(
            CompareTarget target, CompareResult result, int offset) {
        Compare.Builder compare = Compare.newBuilder().setKey(bytes("k")).setTarget(target).setResult(result);
        switch (target) {
            case VALUE -> compare.setValue(bytes(offset < 0 ? "l" : offset == 0 ? "m" : "n"));
            case VERSION -> compare.setVersion(key.getVersion() + offset);
            case CREATE -> compare.setCreateRevision(key.getCreateRevision() + offset);
            case MOD -> compare.setModRevision(key.getModRevision() + offset);
            case LEASE -> compare.setLease(key.getLease() + offset);
            default -> throw new IllegalArgumentException(target.toString());
        }
        // The field compared with the operand: offset -1 means the field is greater.
        boolean expected = switch (result) {
            case EQUAL -> offset == 0;
            case NOT_EQUAL -> offset != 0;
            case LESS -> offset > 0;
            case GREATER -> offset < 0;
            default -> throw new IllegalArgumentException(result.toString());
        };
        assertThat(holds(compare)).isEqualTo(expected);
    }

    @Test
    void on_a_missing_key_version_create_mod_and_lease_compare_as_zero() {
        for (CompareTarget target : List.of(CompareTarget.VERSION, CompareTarget.CREATE, CompareTarget.MOD,
                CompareTarget.LEASE)) {
            Compare.Builder equalsZero = Compare.newBuilder().setKey(bytes("missing")).setTarget(target)
                    .setResult(CompareResult.EQUAL);
            switch (target) {
                case VERSION -> equalsZero.setVersion(0);
                case CREATE -> equalsZero.setCreateRevision(0);
                case MOD -> equalsZero.setModRevision(0);
                default -> equalsZero.setLease(0);
            }
            assertThat(holds(equalsZero)).as(target.toString()).isTrue();
        }
    }

    @Test
    void on_a_missing_key_a_value_compare_never_holds_whatever_the_operator() {
        for (CompareResult result : CompareResult.values()) {
            if (result == CompareResult.UNRECOGNIZED) {
                continue;
            }
            assertThat(holds(Compare.newBuilder().setKey(bytes("missing")).setTarget(CompareTarget.VALUE)
                    .setResult(result).setValue(bytes("")))).as(result.toString()).isFalse();
        }
    }

    @Test
    void a_compare_over_a_range_holds_only_if_it_holds_for_every_key_in_it() {
        Compare.Builder valueIsM = Compare.newBuilder().setKey(bytes("k")).setRangeEnd(bytes("k3"))
                .setTarget(CompareTarget.VALUE).setResult(CompareResult.EQUAL).setValue(bytes("m"));
        assertThat(holds(valueIsM)).isTrue();
        assertThat(holds(valueIsM.clone().setRangeEnd(bytes("p")))).as("'other' has value x").isFalse();
        assertThat(holds(Compare.newBuilder().setKey(bytes("x")).setRangeEnd(bytes("y"))
                .setTarget(CompareTarget.VERSION).setResult(CompareResult.EQUAL).setVersion(0)))
                .as("an empty range compares as one missing key").isTrue();
    }

    @Test
    void an_operand_of_another_kind_than_the_target_compares_as_zero_or_empty() {
        assertThat(holds(Compare.newBuilder().setKey(bytes("k")).setTarget(CompareTarget.VERSION)
                .setResult(CompareResult.GREATER).setModRevision(1000))).isTrue();
        assertThat(holds(Compare.newBuilder().setKey(bytes("k")).setTarget(CompareTarget.VALUE)
                .setResult(CompareResult.GREATER).setVersion(1000))).as("'m' > ''").isTrue();
    }

    @Test
    void a_txn_with_no_compares_takes_the_success_branch() {
        assertThat(kv.txn(TxnRequest.newBuilder()).getSucceeded()).isTrue();
    }

    private static boolean holds(Compare.Builder compare) {
        long before = kv.store().currentRevision();
        boolean succeeded = kv.txn(TxnRequest.newBuilder().addCompare(compare)
                .addSuccess(RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(bytes("k")))))
                .getSucceeded();
        assertThat(kv.store().currentRevision()).isEqualTo(before);
        return succeeded;
    }
}
