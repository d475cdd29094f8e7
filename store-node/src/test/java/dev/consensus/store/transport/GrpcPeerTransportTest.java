package dev.consensus.store.transport;

import static dev.consensus.store.transport.RecordingInbound.next;
import static org.assertj.core.api.Assertions.assertThat;

import dev.consensus.store.raft.Entry;
import dev.consensus.store.raft.Message;
import dev.consensus.store.transport.PeerNodes.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Members exchanging Raft messages over real gRPC on loopback. */
class GrpcPeerTransportTest {

    @TempDir
    java.nio.file.Path dir;

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
    void two_members_exchange_every_kind_of_message_in_order() {
        Node a = nodes.start(1);
        Node b = nodes.start(2);
        nodes.connectAll();

        List<Message> toB = SampleMessages.everyBatchKind(1, 2);
        List<Message> toA = SampleMessages.everyBatchKind(2, 1);
        a.transport().send(toB);
        b.transport().send(toA);

        SampleMessages.assertSameMessages(b.inbound().nextMessages(toB.size()), toB);
        SampleMessages.assertSameMessages(a.inbound().nextMessages(toA.size()), toA);
    }

    @Test
    void three_members_each_hear_the_other_two() {
        List<Node> members = List.of(nodes.start(1), nodes.start(2), nodes.start(3));
        nodes.connectAll();

        for (Node from : members) {
            List<Message> out = new ArrayList<>();
            for (Node to : members) {
                if (to != from) {
                    out.addAll(SampleMessages.everyBatchKind(from.id(), to.id()));
                }
            }
            from.transport().send(out); // one call with messages for two peers, interleaved by kind
        }

        int perPeer = SampleMessages.everyBatchKind(1, 2).size();
        for (Node to : members) {
            List<Message> heard = to.inbound().nextMessages(2 * perPeer);
            for (Node from : members) {
                if (from != to) {
                    List<Message> fromThat = heard.stream().filter(m -> m.from() == from.id()).toList();
                    SampleMessages.assertSameMessages(fromThat, SampleMessages.everyBatchKind(from.id(), to.id()));
                }
            }
        }
    }

    @Test
    void messages_sent_quickly_travel_in_fewer_batches_than_messages() {
        Node a = nodes.start(1);
        Node b = nodes.start(2);
        PeerNodes.connect(a, b);
        a.transport().send(List.of(heartbeat(1, 2, 0))); // the stream is up before the burst
        next(b.inbound().messages, "the first heartbeat");
        long batchesBefore = b.transport().batchesReceived();

        int count = 2000;
        List<Message> burst = LongStream.rangeClosed(1, count).mapToObj(i -> heartbeat(1, 2, i)).toList();
        a.transport().send(burst);

        List<Message> heard = b.inbound().nextMessages(count);
        assertThat(heard).extracting(m -> ((Message.Heartbeat) m).commit())
                .containsExactlyElementsOf(LongStream.rangeClosed(1, count).boxed().toList());
        long batches = b.transport().batchesReceived() - batchesBefore;
        assertThat(batches).isPositive().isLessThan(count);
        assertThat(a.transport().batchesSent()).isEqualTo(b.transport().batchesReceived());
    }

    /**
     * The Raft loop's sends go out on its own thread while the stream is ready and nothing is
     * queued, and through the sender thread's queue otherwise; switching between the two must
     * never let a message overtake an earlier one.
     */
    @Test
    void one_message_at_a_time_as_fast_as_possible_arrives_complete_and_in_order() {
        Node a = nodes.start(1);
        Node b = nodes.start(2);
        PeerNodes.connect(a, b);

        int count = 3000; // under the queue length, so none may be dropped whichever way each goes
        for (long i = 1; i <= count; i++) {
            a.transport().send(List.of(heartbeat(1, 2, i)));
        }

        List<Message> heard = b.inbound().nextMessages(count);
        assertThat(heard).extracting(m -> ((Message.Heartbeat) m).commit())
                .containsExactlyElementsOf(LongStream.rangeClosed(1, count).boxed().toList());
    }

    @Test
    void a_batch_is_cut_at_max_batch_bytes_a_larger_message_goes_alone_and_one_past_the_message_limit_is_dropped() {
        TransportConfig small = PeerNodes.CONFIG.withSnapshotChunkBytes(1024).withBatching(1024, 4096, 100);
        Node a = nodes.start(1, PeerNodes.CLUSTER, small, null, "http://127.0.0.1:0");
        Node b = nodes.start(2, PeerNodes.CLUSTER, small, null, "http://127.0.0.1:0");
        PeerNodes.connect(a, b);

        List<Message> out = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            out.add(append(i, 200)); // about 230 bytes each: four fit in 1 KiB
        }
        out.add(append(21, 3000));  // over the batch size, under the message size: alone
        out.add(append(22, 5000));  // over the message size: dropped
        out.add(append(23, 10));
        a.transport().send(out);

        List<Long> indexes = new ArrayList<>();
        while (indexes.size() < 22) {
            List<Message> batch = next(b.inbound().batches, "a batch");
            long batchBytes = batch.stream().mapToLong(m -> MessageCodec.encode(m).getSerializedSize() + 3).sum();
            boolean holdsTheLargeOne = batch.stream().anyMatch(m -> firstIndex(m) == 21);
            if (holdsTheLargeOne) {
                assertThat(batch).hasSize(1);
            } else {
                assertThat(batchBytes).isLessThanOrEqualTo(1024);
            }
            batch.forEach(m -> indexes.add(firstIndex(m)));
        }
        List<Long> expected = new ArrayList<>(LongStream.rangeClosed(1, 21).boxed().toList());
        expected.add(23L);
        assertThat(indexes).containsExactlyElementsOf(expected);
    }

    static Message heartbeat(long from, long to, long commit) {
        return new Message.Heartbeat(from, to, 1, commit, 0);
    }

    private static Message.Append append(long index, int payloadBytes) {
        return new Message.Append(1, 2, 1, index - 1, 1, List.of(Entry.normal(index, 1, new byte[payloadBytes])), 0);
    }

    private static long firstIndex(Message m) {
        return ((Message.Append) m).entries().getFirst().index();
    }
}
