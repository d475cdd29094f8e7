package dev.consensus.store.transport;

import static dev.consensus.store.transport.RecordingInbound.next;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.consensus.api.raftpb.FileChunk;
import dev.consensus.api.raftpb.PeerGrpc;
import dev.consensus.api.raftpb.SnapshotChunk;
import dev.consensus.api.raftpb.SnapshotFile;
import dev.consensus.api.raftpb.SnapshotHeader;
import dev.consensus.api.raftpb.SnapshotReceived;
import dev.consensus.store.raft.ConfState;
import dev.consensus.store.raft.Message;
import dev.consensus.store.raft.Snapshot;
import dev.consensus.store.raft.SnapshotMetadata;
import dev.consensus.store.transport.PeerNodes.Node;
import dev.consensus.store.transport.RecordingInbound.ReceivedSnapshot;
import dev.consensus.store.transport.RecordingInbound.SnapshotReport;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Snapshots streamed in chunks between real transports, and streams that break or lie. */
class SnapshotTransferTest {

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
    void a_snapshot_of_several_files_arrives_whole_and_the_sender_hears_it_was_delivered() throws IOException {
        Node a = nodes.start(1);
        Node b = nodes.start(2);
        PeerNodes.connect(a, b);
        Path checkpoint = a.payloads().checkpoint("cp-120");
        write(checkpoint.resolve("000042.sst"), random(3 * 1024 * 1024 + 17, 1)); // four chunks, the last short
        write(checkpoint.resolve("CURRENT"), "MANIFEST-000007\n".getBytes());
        write(checkpoint.resolve("empty.log"), new byte[0]);
        write(checkpoint.resolve("sub/OPTIONS-000009"), random(5000, 2));
        Message.InstallSnapshot sent = install(1, 2, "cp-120");

        a.transport().send(List.of(sent));

        ReceivedSnapshot received = next(b.inbound().snapshots, "the snapshot");
        SampleMessages.assertSameMessages(List.of(received.message()), List.of(sent));
        assertThat(received.dir()).isEqualTo(b.payloads().receiveDirs.getFirst());
        assertSameTree(received.dir(), checkpoint);
        assertThat(next(a.inbound().snapshotReports, "the report")).isEqualTo(new SnapshotReport(2, true));
    }

    @Test
    void a_snapshot_the_peer_cannot_store_is_reported_failed() throws IOException {
        Node a = nodes.start(1);
        Node b = nodes.start(2);
        PeerNodes.connect(a, b);
        write(a.payloads().checkpoint("cp-1").resolve("data"), random(100, 3));
        b.payloads().refuseToReceive = true;

        a.transport().send(List.of(install(1, 2, "cp-1")));

        assertThat(next(a.inbound().snapshotReports, "the report")).isEqualTo(new SnapshotReport(2, false));
        assertThat(b.inbound().snapshots).isEmpty();
    }

    @Test
    void a_snapshot_to_an_unknown_peer_is_reported_failed_at_once() {
        Node a = nodes.start(1);
        a.transport().send(List.of(install(1, 5, "cp-1")));
        assertThat(next(a.inbound().snapshotReports, "the report")).isEqualTo(new SnapshotReport(5, false));
    }

    @Test
    void a_corrupted_chunk_is_refused_and_nothing_is_delivered_or_left_behind() {
        Node b = nodes.start(2);
        byte[] data = random(1000, 4);
        FileChunk corrupt = chunk(0, 0, data).toBuilder().setCrc32C(crc(data) ^ 1).build();

        Status refusal = sendRaw(b, false, header(b, List.of(file("data", 1000))), wrap(corrupt));

        assertThat(refusal.getCode()).isEqualTo(Status.Code.DATA_LOSS);
        assertThat(refusal.getDescription()).isEqualTo("snapshot file data: checksum mismatch in the chunk at offset 0");
        assertNothingDelivered(b);
    }

    @Test
    void a_truncated_stream_is_refused_and_nothing_is_delivered_or_left_behind() {
        Node b = nodes.start(2);
        byte[] half = random(500, 5);

        Status refusal = sendRaw(b, false, header(b, List.of(file("data", 1000))), wrap(chunk(0, 0, half)));

        assertThat(refusal.getCode()).isEqualTo(Status.Code.DATA_LOSS);
        assertThat(refusal.getDescription()).isEqualTo("snapshot incomplete: file data has 500 of 1000 bytes");
        assertNothingDelivered(b);
    }

    @Test
    void a_stream_the_sender_abandons_is_not_delivered_and_its_directory_is_removed() throws Exception {
        Node b = nodes.start(2);

        Status ended = sendRaw(b, true, header(b, List.of(file("data", 1000))), wrap(chunk(0, 0, random(500, 6))));

        assertThat(ended.getCode()).isEqualTo(Status.Code.CANCELLED);
        // The receiver hears of the cancel on its own thread: wait until it has cleaned up.
        awaitDeleted(b.payloads().receiveDirs.getFirst());
        assertNothingDelivered(b);
    }

    @Test
    void chunks_out_of_order_or_past_the_declared_size_are_refused() {
        Node b = nodes.start(2);
        Status gap = sendRaw(b, false, header(b, List.of(file("data", 1000))), wrap(chunk(0, 10, random(10, 7))));
        Status tooLong = sendRaw(b, false, header(b, List.of(file("data", 5))), wrap(chunk(0, 0, random(10, 8))));
        Status noFile = sendRaw(b, false, header(b, List.of(file("data", 5))), wrap(chunk(3, 0, random(5, 9))));

        assertThat(gap.getDescription()).isEqualTo("snapshot file data: chunk at offset 10 where 0 was expected");
        assertThat(tooLong.getDescription()).isEqualTo("snapshot file data: more than its 5 bytes");
        assertThat(noFile.getDescription()).isEqualTo("snapshot chunk for file 3 of 1");
        assertThat(Stream.of(gap, tooLong, noFile).map(Status::getCode)).containsOnly(Status.Code.INVALID_ARGUMENT);
        assertNothingDelivered(b);
    }

    @Test
    void file_names_that_would_leave_the_snapshot_directory_or_clash_are_refused_before_anything_is_written() {
        Node b = nodes.start(2);
        for (String name : List.of("../escape", "/etc/passwd", "a/../../escape", "", "a//b", "./x")) {
            Status refusal = sendRaw(b, false, header(b, List.of(file(name, 1))), wrap(chunk(0, 0, new byte[1])));
            assertThat(refusal.getCode()).as(name).isEqualTo(Status.Code.INVALID_ARGUMENT);
        }
        Status clash = sendRaw(b, false, header(b, List.of(file("a", 1), file("a/b", 1))));
        assertThat(clash.getDescription()).isEqualTo("snapshot file a is also the directory of a/b");
        Status twice = sendRaw(b, false, header(b, List.of(file("a", 1), file("a", 1))));
        assertThat(twice.getDescription()).isEqualTo("snapshot file a is listed twice");
        assertThat(b.payloads().receiveDirs).isEmpty();
        assertThat(dir.resolve("escape")).doesNotExist();
        assertThat(b.inbound().snapshots).isEmpty();
    }

    @Test
    void a_snapshot_header_from_another_cluster_is_refused() {
        Node b = nodes.start(2);
        SnapshotHeader foreign = header(b, List.of()).toBuilder().setClusterId(77).build();
        Status refusal = sendRaw(b, false, foreign);
        assertThat(refusal.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(refusal.getDescription()).startsWith("cluster ID mismatch");
        assertThat(b.payloads().receiveDirs).isEmpty();
    }

    private static void assertNothingDelivered(Node b) {
        assertThat(b.inbound().snapshots).isEmpty();
        assertThat(b.payloads().receiveDirs).allSatisfy(d -> assertThat(d).doesNotExist());
    }

    private static Message.InstallSnapshot install(long from, long to, String checkpoint) {
        return new Message.InstallSnapshot(from, to, 7, new Snapshot(
                new SnapshotMetadata(120, 7, ConfState.ofVoters(1L, 2L, 3L)), checkpoint.getBytes()));
    }

    private static SnapshotHeader header(Node to, List<SnapshotFile> files) {
        return SnapshotHeader.newBuilder().setClusterId(PeerNodes.CLUSTER).setFrom(1).setTo(to.id())
                .setMessage(MessageCodec.encode(install(1, to.id(), "cp"))).addAllFiles(files).build();
    }

    private static SnapshotFile file(String name, long size) {
        return SnapshotFile.newBuilder().setName(name).setSize(size).build();
    }

    private static FileChunk chunk(int file, long offset, byte[] data) {
        return FileChunk.newBuilder().setFileIndex(file).setOffset(offset).setData(ByteString.copyFrom(data))
                .setCrc32C(crc(data)).build();
    }

    private static SnapshotChunk wrap(FileChunk chunk) {
        return SnapshotChunk.newBuilder().setFileChunk(chunk).build();
    }

    private static int crc(byte[] data) {
        CRC32C crc = new CRC32C();
        crc.update(data);
        return (int) crc.getValue();
    }

    /**
     * Sends a header and chunks with the generated stub, as a broken or lying peer would, then
     * completes the call (or cancels it) and returns how it ended.
     */
    private static Status sendRaw(Node to, boolean cancel, SnapshotHeader header, SnapshotChunk... chunks) {
        ManagedChannel channel = NettyChannelBuilder.forAddress(to.url().getHost(), to.url().getPort())
                .usePlaintext().build();
        try {
            CompletableFuture<Status> ended = new CompletableFuture<>();
            var call = (io.grpc.stub.ClientCallStreamObserver<SnapshotChunk>) PeerGrpc.newStub(channel)
                    .sendSnapshot(new StreamObserver<SnapshotReceived>() {
                        @Override
                        public void onNext(SnapshotReceived value) {
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
            call.onNext(SnapshotChunk.newBuilder().setHeader(header).build());
            for (SnapshotChunk chunk : chunks) {
                call.onNext(chunk);
            }
            if (cancel) {
                // Let the header reach the receiver first, so that there is something to clean up.
                next(to.payloads().created, "the receive directory");
                call.cancel("the sender gave up", null);
            } else {
                call.onCompleted();
            }
            return ended.get(RecordingInbound.WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            channel.shutdownNow();
        }
    }

    /** Waits, with inotify and a bound, until {@code dir} is gone. */
    private static void awaitDeleted(Path dir) throws IOException, InterruptedException {
        try (WatchService watcher = dir.getFileSystem().newWatchService()) {
            dir.getParent().register(watcher, StandardWatchEventKinds.ENTRY_DELETE);
            while (Files.exists(dir)) { // checked after registering, so no deletion goes unseen
                WatchKey key = watcher.poll(RecordingInbound.WAIT_SECONDS, TimeUnit.SECONDS);
                assertThat(key).as("%s deleted within %ss", dir, RecordingInbound.WAIT_SECONDS).isNotNull();
                key.pollEvents();
                key.reset();
            }
        }
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static void write(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
    }

    private static void assertSameTree(Path actual, Path expected) throws IOException {
        List<SnapshotFiles.LocalFile> want = SnapshotFiles.list(expected);
        List<SnapshotFiles.LocalFile> got = SnapshotFiles.list(actual);
        assertThat(got).extracting(SnapshotFiles.LocalFile::name)
                .containsExactlyElementsOf(want.stream().map(SnapshotFiles.LocalFile::name).toList());
        for (SnapshotFiles.LocalFile file : want) {
            assertThat(Files.readAllBytes(actual.resolve(file.name()))).as(file.name())
                    .isEqualTo(Files.readAllBytes(file.path()));
        }
    }
}
