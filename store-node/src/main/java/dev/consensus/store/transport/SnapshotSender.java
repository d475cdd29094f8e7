package dev.consensus.store.transport;

import com.google.protobuf.ByteString;
import dev.consensus.api.raftpb.FileChunk;
import dev.consensus.api.raftpb.PeerGrpc;
import dev.consensus.api.raftpb.SnapshotChunk;
import dev.consensus.api.raftpb.SnapshotFile;
import dev.consensus.api.raftpb.SnapshotHeader;
import dev.consensus.api.raftpb.SnapshotReceived;
import dev.consensus.store.raft.Message;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams one snapshot to one peer: a header with the core's message and the file list, then
 * every file in checksummed chunks, waiting for the stream to take each chunk so that a large
 * checkpoint is never held in memory. Reports the outcome to the core when done, either way.
 */
final class SnapshotSender implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotSender.class);

    /** Where the stream goes and what to do on the way; the channel is asked for when it starts. */
    interface Channel {
        ManagedChannel get() throws IOException;
    }

    private final PeerIdentity self;
    private final Message.InstallSnapshot message;
    private final Channel channel;
    private final SnapshotPayloads payloads;
    private final PeerInbound inbound;
    private final TransportConfig config;
    private final Runnable done;

    SnapshotSender(PeerIdentity self, Message.InstallSnapshot message, Channel channel, SnapshotPayloads payloads,
            PeerInbound inbound, TransportConfig config, Runnable done) {
        this.self = self;
        this.message = message;
        this.channel = channel;
        this.payloads = payloads;
        this.inbound = inbound;
        this.config = config;
        this.done = done;
    }

    @Override
    public void run() {
        long peer = message.to();
        boolean delivered = false;
        try {
            Status outcome = stream();
            delivered = outcome.isOk();
            if (delivered) {
                LOG.info("sent snapshot {} to peer {}", message.snapshot(), PeerChecks.hex(peer));
            } else {
                LOG.warn("snapshot {} to peer {} failed: {} {}", message.snapshot(), PeerChecks.hex(peer),
                        outcome.getCode(), outcome.getDescription());
                if (PeerChecks.isRemovedRefusal(outcome)) {
                    inbound.removedFromCluster(peer);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("snapshot {} to peer {} failed", message.snapshot(), PeerChecks.hex(peer), e);
        } catch (InterruptedException e) {
            LOG.info("snapshot {} to peer {} stopped: the transport is closing", message.snapshot(),
                    PeerChecks.hex(peer));
        } finally {
            done.run();
            inbound.snapshotReported(peer, delivered);
        }
    }

    private Status stream() throws IOException, InterruptedException {
        List<SnapshotFiles.LocalFile> files = SnapshotFiles.list(payloads.checkpointDir(message.snapshot()));
        Outcome outcome = new Outcome();
        PeerGrpc.newStub(channel.get()).sendSnapshot(outcome);
        ClientCallStreamObserver<SnapshotChunk> call = outcome.call;
        boolean finished = false;
        try {
            SnapshotHeader.Builder header = SnapshotHeader.newBuilder().setClusterId(self.clusterId())
                    .setFrom(self.memberId()).setTo(message.to()).setMessage(MessageCodec.encode(message));
            files.forEach(f -> header.addFiles(SnapshotFile.newBuilder().setName(f.name()).setSize(f.size())));
            if (!send(outcome, SnapshotChunk.newBuilder().setHeader(header).build())) {
                return outcome.status("the peer did not take the snapshot header");
            }
            byte[] buffer = new byte[config.snapshotChunkBytes()];
            for (int i = 0; i < files.size(); i++) {
                if (!sendFile(outcome, i, files.get(i), buffer)) {
                    return outcome.status("the peer did not take a chunk of " + files.get(i).name());
                }
            }
            call.onCompleted();
            finished = true;
            return outcome.await(config);
        } finally {
            if (!finished) {
                call.cancel("snapshot not sent whole", null);
            }
        }
    }

    private boolean sendFile(Outcome outcome, int index, SnapshotFiles.LocalFile file, byte[] buffer)
            throws IOException, InterruptedException {
        try (InputStream in = Files.newInputStream(file.path())) {
            long offset = 0;
            while (offset < file.size()) {
                int n = in.readNBytes(buffer, 0, (int) Math.min(buffer.length, file.size() - offset));
                if (n == 0) {
                    throw new IOException("snapshot file " + file.path() + " shrank while it was sent");
                }
                CRC32C crc = new CRC32C();
                crc.update(buffer, 0, n);
                FileChunk chunk = FileChunk.newBuilder().setFileIndex(index).setOffset(offset)
                        .setData(ByteString.copyFrom(buffer, 0, n)).setCrc32C((int) crc.getValue()).build();
                if (!send(outcome, SnapshotChunk.newBuilder().setFileChunk(chunk).build())) {
                    return false;
                }
                offset += n;
            }
        }
        return true;
    }

    private boolean send(Outcome outcome, SnapshotChunk chunk) throws InterruptedException {
        if (!outcome.readiness.await(outcome.call, config.snapshotTimeout())) {
            return false;
        }
        outcome.call.onNext(chunk);
        return true;
    }

    /** The call's request side, and what the peer answered. */
    private static final class Outcome implements ClientResponseObserver<SnapshotChunk, SnapshotReceived> {
        final CallReadiness readiness = new CallReadiness();
        final CompletableFuture<Status> result = new CompletableFuture<>();
        ClientCallStreamObserver<SnapshotChunk> call;

        @Override
        public void beforeStart(ClientCallStreamObserver<SnapshotChunk> requestStream) {
            call = requestStream;
            requestStream.setOnReadyHandler(readiness);
        }

        @Override
        public void onNext(SnapshotReceived value) {
            // onCompleted follows
        }

        @Override
        public void onError(Throwable t) {
            result.complete(Status.fromThrowable(t));
            readiness.end();
        }

        @Override
        public void onCompleted() {
            result.complete(Status.OK);
            readiness.end();
        }

        /** The peer's answer if it gave one (a refusal), else a timeout saying what stalled. */
        Status status(String stalled) {
            Status answered = result.getNow(null);
            return answered != null ? answered : Status.DEADLINE_EXCEEDED.withDescription(stalled);
        }

        Status await(TransportConfig config) throws InterruptedException {
            try {
                return result.get(config.snapshotTimeout().toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                return Status.DEADLINE_EXCEEDED.withDescription("no answer within " + config.snapshotTimeout());
            } catch (ExecutionException e) {
                return Status.fromThrowable(e.getCause());
            }
        }
    }
}
