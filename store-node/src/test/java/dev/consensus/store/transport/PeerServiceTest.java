package dev.consensus.store.transport;

import static dev.consensus.store.transport.GrpcPeerTransportTest.heartbeat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.consensus.api.raftpb.MessageBatch;
import dev.consensus.api.raftpb.StreamClosed;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The receiving end of a peer's stream: a stream that broke after it delivered batches is a
 * connection lost to that peer (its process may have died); one that ends normally, or broke
 * before delivering anything, is not.
 */
class PeerServiceTest {

    private static final long CLUSTER = 0xc1L;

    @TempDir
    Path dir;

    private final RecordingInbound inbound = new RecordingInbound();

    @Test
    void a_stream_that_breaks_after_delivering_reports_its_sender_as_a_lost_connection() throws Exception {
        StreamObserver<MessageBatch> stream = open();
        stream.onNext(batchFrom(1));
        RecordingInbound.next(inbound.messages, "the heartbeat");

        stream.onError(Status.CANCELLED.withDescription("client cancelled").asRuntimeException());

        assertThat(inbound.connectionLost).containsExactly(1L);
    }

    @Test
    void a_stream_that_ends_normally_or_breaks_before_delivering_reports_nothing() {
        StreamObserver<MessageBatch> finished = open();
        finished.onNext(batchFrom(1));
        finished.onCompleted();
        open().onError(Status.UNAVAILABLE.asRuntimeException());

        assertThat(inbound.connectionLost).isEmpty();
    }

    private StreamObserver<MessageBatch> open() {
        PeerService service = new PeerService(new PeerChecks(new PeerIdentity(CLUSTER, 2), inbound), inbound,
                new DirPayloads(dir));
        return service.stream(new StreamObserver<StreamClosed>() {
            @Override
            public void onNext(StreamClosed value) {
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
            }
        });
    }

    private static MessageBatch batchFrom(long from) {
        return MessageBatch.newBuilder().setClusterId(CLUSTER).setFrom(from).setTo(2)
                .addMessages(MessageCodec.encode(heartbeat(from, 2, 1))).build();
    }
}
