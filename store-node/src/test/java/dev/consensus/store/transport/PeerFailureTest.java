package dev.consensus.store.transport;

import static dev.consensus.store.transport.GrpcPeerTransportTest.heartbeat;
import static dev.consensus.store.transport.RecordingInbound.next;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.consensus.api.raftpb.MessageBatch;
import dev.consensus.api.raftpb.PeerGrpc;
import dev.consensus.api.raftpb.StreamClosed;
import dev.consensus.store.raft.Message;
import dev.consensus.store.transport.PeerNodes.Node;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the transport refuses, and what it does when a peer is gone or will not listen. */
class PeerFailureTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private PeerNodes nodes;

    @BeforeEach
    void setUp() {
        nodes = new PeerNodes(dir);
    }

    @AfterEach
    void tearDown() {
        nodes.close();
    }

    @Test
    void a_member_of_another_cluster_is_refused_and_its_sender_reports_the_peer_unreachable() {
        Node a = nodes.start(1);
        Node stranger = nodes.start(2, 0xbadc1L, PeerNodes.CONFIG, null, "http://127.0.0.1:0");
        PeerNodes.connect(stranger, a);

        stranger.transport().send(List.of(heartbeat(2, 1, 5)));

        assertThat(next(stranger.inbound().unreachable, "the refusal")).isEqualTo(1L);
        assertThat(stranger.inbound().connectionLost).as("a refusal is no lost connection").isEmpty();
        assertThat(a.inbound().messages).isEmpty();
        assertThat(stranger.inbound().removedBy).isEmpty();
    }

    @Test
    void the_cluster_id_refusal_names_both_ids() {
        Node a = nodes.start(1);
        Status refusal = sendRaw(a, MessageBatch.newBuilder().setClusterId(0xbadc1L).setFrom(2).setTo(1)
                .addMessages(MessageCodec.encode(heartbeat(2, 1, 5))).build());

        assertThat(refusal.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(refusal.getDescription()).isEqualTo("cluster ID mismatch: member 1 is in cluster "
                + Long.toHexString(PeerNodes.CLUSTER) + ", member 2 sent a request for cluster badc1");
        assertThat(a.inbound().messages).isEmpty();
    }

    @Test
    void a_batch_for_another_member_is_refused() {
        Node a = nodes.start(1);
        Status refusal = sendRaw(a, MessageBatch.newBuilder().setClusterId(PeerNodes.CLUSTER).setFrom(2).setTo(3)
                .addMessages(MessageCodec.encode(heartbeat(2, 3, 5))).build());

        assertThat(refusal.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(refusal.getDescription()).isEqualTo("to field mismatch: this is member 1, the request is for member 3");
    }

    @Test
    void a_malformed_message_or_a_snapshot_in_a_batch_is_refused_as_invalid() {
        Node a = nodes.start(1);
        Status kindless = sendRaw(a, MessageBatch.newBuilder().setClusterId(PeerNodes.CLUSTER).setFrom(2).setTo(1)
                .addMessages(dev.consensus.api.raftpb.RaftMessage.newBuilder().setTerm(1)).build());
        Message snapshot = SampleMessages.everyKind(2, 1).stream()
                .filter(m -> m instanceof Message.InstallSnapshot).findFirst().orElseThrow();
        Status inBatch = sendRaw(a, MessageBatch.newBuilder().setClusterId(PeerNodes.CLUSTER).setFrom(2).setTo(1)
                .addMessages(MessageCodec.encode(snapshot)).build());

        assertThat(kindless.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(kindless.getDescription()).isEqualTo("malformed raft message: raft message without a kind");
        assertThat(inBatch.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(inBatch.getDescription()).contains("must come through SendSnapshot");
        assertThat(a.inbound().messages).isEmpty();
    }

    @Test
    void a_removed_member_is_refused_in_etcds_words_and_told_it_was_removed() {
        Node a = nodes.start(1);
        Node gone = nodes.start(2);
        a.inbound().removed.add(2L);
        PeerNodes.connect(gone, a);

        gone.transport().send(List.of(heartbeat(2, 1, 5)));

        assertThat(next(gone.inbound().removedBy, "the removal notice")).isEqualTo(1L);
        assertThat(a.inbound().messages).isEmpty();
        Status refusal = sendRaw(a, MessageBatch.newBuilder().setClusterId(PeerNodes.CLUSTER).setFrom(2).setTo(1)
                .addMessages(MessageCodec.encode(heartbeat(2, 1, 6))).build());
        assertThat(refusal.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(refusal.getDescription()).isEqualTo("the member has been permanently removed from the cluster");
    }

    @Test
    void a_peer_that_is_down_is_reported_unreachable_and_hears_again_once_it_is_back() {
        Node a = nodes.start(1);
        Node b = nodes.start(2);
        takeDownAfterOneHeartbeat(a, b);

        Node back = nodes.start(2, PeerNodes.CLUSTER, PeerNodes.CONFIG, null, b.url().toString());
        // Raft resends on every heartbeat tick; so does this loop, until one gets through.
        Message heard = null;
        for (long commit = 3; heard == null && commit < 3 + 200; commit++) {
            a.transport().send(List.of(heartbeat(1, 2, commit)));
            heard = pollBriefly(back);
        }
        assertThat(heard).as("a heartbeat after the peer came back").isInstanceOf(Message.Heartbeat.class);
    }

    @Test
    void the_first_message_after_a_restarted_peer_is_back_gets_through_though_connecting_failed_meanwhile() {
        // A survivor's vote request to a member restarted since the survivor last failed to
        // reach it: gRPC still remembers the refused connection, and a call started then failed
        // at once, so the vote request was lost and the election waited a whole timeout.
        Node a = nodes.start(1);
        Node b = nodes.start(2);
        takeDownAfterOneHeartbeat(a, b);
        AtomicLong commit = new AtomicLong(2);
        // Raft keeps sending to a peer that is down, and so comes to try a connection it refuses.
        Awaitility.await("a refused connection to the peer").atMost(WAIT).pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    a.transport().send(List.of(heartbeat(1, 2, commit.incrementAndGet())));
                    return a.transport().channelState(2) == ConnectivityState.TRANSIENT_FAILURE;
                });

        // Then nothing more for a while, as from a follower to another follower: the last stream
        // is given up and this member's own backoff passes, so the next message opens a stream.
        Awaitility.await("the sender to be idle").atMost(WAIT).pollInterval(Duration.ofMillis(20))
                .until(() -> a.transport().opensStreamOnNextSend(2));

        Node back = nodes.start(2, PeerNodes.CLUSTER, PeerNodes.CONFIG, null, b.url().toString());
        Message last = heartbeat(1, 2, commit.incrementAndGet());
        a.transport().send(List.of(last));

        // Heartbeats sent while it was down may arrive too, late; the one sent after must arrive.
        Message heard = next(back.inbound().messages, "the heartbeat sent after the peer came back");
        while (!heard.equals(last)) {
            heard = next(back.inbound().messages, "the heartbeat sent after the peer came back");
        }
    }

    /** {@code a} reaches {@code b} once, then {@code b} stops and {@code a} reports it unreachable. */
    private static void takeDownAfterOneHeartbeat(Node a, Node b) {
        PeerNodes.connect(a, b);
        a.transport().send(List.of(heartbeat(1, 2, 1)));
        next(b.inbound().messages, "the first heartbeat");
        b.transport().close();
        a.transport().send(List.of(heartbeat(1, 2, 2)));
        assertThat(next(a.inbound().unreachable, "the unreachable report")).isEqualTo(2L);
    }

    @Test
    void a_peer_that_is_never_reached_is_reported_unreachable_after_the_connect_timeout_not_the_send_timeout()
            throws IOException {
        // A peer that accepts the TCP connection and never speaks: the stream waits for it.
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            // A send timeout longer than the test waits: only the connect timeout can end the wait.
            TransportConfig config = PeerNodes.CONFIG.withTimeouts(Duration.ofMillis(200), Duration.ofMinutes(5));
            Node a = nodes.start(1, PeerNodes.CLUSTER, config, null, "http://127.0.0.1:0");
            a.transport().setPeers(Map.of(9L, List.of(URI.create("http://127.0.0.1:" + silent.getLocalPort()))));

            a.transport().send(List.of(heartbeat(1, 9, 1)));

            assertThat(next(a.inbound().unreachable, "the unreachable report")).isEqualTo(9L);
            assertThat(a.inbound().connectionLost).as("never connected, so nothing was lost").isEmpty();
        }
    }

    @Test
    void a_full_queue_drops_messages_and_reports_the_peer_unreachable() throws IOException {
        // A peer that accepts the TCP connection and never answers: the first batch waits for the
        // stream, so the queue behind it fills.
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            TransportConfig tiny = PeerNodes.CONFIG.withBatching(1 << 20, 4 << 20, 4);
            Node a = nodes.start(1, PeerNodes.CLUSTER, tiny, null, "http://127.0.0.1:0");
            a.transport().setPeers(Map.of(9L, List.of(URI.create("http://127.0.0.1:" + silent.getLocalPort()))));

            a.transport().send(LongStream.rangeClosed(1, 50).mapToObj(i -> heartbeat(1, 9, i)).toList());

            assertThat(next(a.inbound().unreachable, "the overflow report")).isEqualTo(9L);
        }
    }

    @Test
    void messages_to_unknown_members_and_to_itself_are_dropped_without_a_fuss() {
        Node a = nodes.start(1);
        a.transport().setPeers(Map.of(1L, List.of(a.url())));
        a.transport().send(List.of(heartbeat(1, 1, 1), heartbeat(1, 77, 1)));
        assertThat(a.inbound().messages).isEmpty();
        assertThat(a.inbound().unreachable).isEmpty();
    }

    @Test
    void a_listen_port_in_use_is_refused_naming_the_url() {
        Node a = nodes.start(1);
        GrpcPeerTransport second = new GrpcPeerTransport(new PeerIdentity(PeerNodes.CLUSTER, 2), List.of(a.url()),
                new RecordingInbound(), new DirPayloads(dir), java.util.Optional.empty(), PeerNodes.CONFIG);
        try {
            assertThatThrownBy(second::start).isInstanceOf(IOException.class)
                    .hasMessageStartingWith("cannot listen for peers on [" + a.url() + "]");
        } finally {
            second.close();
        }
    }

    private static Message pollBriefly(Node node) {
        try {
            return node.inbound().messages.poll(100, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Sends one batch with the generated stub, as a misbehaving peer would, and returns how the call ended. */
    static Status sendRaw(Node to, MessageBatch batch) {
        ManagedChannel channel = NettyChannelBuilder.forAddress(to.url().getHost(), to.url().getPort())
                .usePlaintext().build();
        try {
            CompletableFuture<Status> ended = new CompletableFuture<>();
            StreamObserver<MessageBatch> call = PeerGrpc.newStub(channel).stream(new StreamObserver<StreamClosed>() {
                @Override
                public void onNext(StreamClosed value) {
                }

                @Override
                public void onError(Throwable t) {
                    ended.complete(Status.fromThrowable(t));
                }

                @Override
                public void onCompleted() {
                    ended.complete(Status.OK);
                }
            });
            call.onNext(batch);
            call.onCompleted();
            return ended.get(RecordingInbound.WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            channel.shutdownNow();
        }
    }

}
