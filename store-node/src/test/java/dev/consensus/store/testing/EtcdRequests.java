package dev.consensus.store.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import dev.consensus.api.etcdserverpb.PutRequest;
import dev.consensus.api.etcdserverpb.PutResponse;
import dev.consensus.api.etcdserverpb.RangeRequest;
import dev.consensus.api.etcdserverpb.RangeResponse;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Short ways to build etcd requests and read their answers in tests, so that a test reads as
 * the behaviour it checks rather than as protobuf builders. Keys and values are UTF-8 text.
 */
public final class EtcdRequests {

    private EtcdRequests() {
    }

    public static PutResponse put(EtcdProcess etcd, String key, String value) {
        return etcd.kv().put(PutRequest.newBuilder().setKey(bytes(key)).setValue(bytes(value)).build());
    }

    /** A range over every key that starts with {@code prefix}, as etcdctl's --prefix builds it. */
    public static RangeRequest prefix(String prefix) {
        byte[] end = prefix.getBytes(StandardCharsets.UTF_8);
        if (end.length == 0 || end[end.length - 1] == (byte) 0xff) {
            throw new IllegalArgumentException("this helper needs a prefix whose last byte is below 0xff: " + prefix);
        }
        end[end.length - 1]++;
        return RangeRequest.newBuilder().setKey(bytes(prefix)).setRangeEnd(ByteString.copyFrom(end)).build();
    }

    public static List<String> keys(RangeResponse response) {
        return response.getKvsList().stream().map(kv -> text(kv.getKey())).toList();
    }

    public static ByteString bytes(String text) {
        return ByteString.copyFromUtf8(text);
    }

    public static String text(ByteString bytes) {
        return bytes.toStringUtf8();
    }

    /** Runs a call that must fail and returns {@code "CODE: description"}, as etcd's clients see it. */
    public static String rpcError(Runnable call) {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, call::run);
        assertThat(e).as("the call should have failed").isNotNull();
        return e.getStatus().getCode() + ": " + e.getStatus().getDescription();
    }
}
