package dev.consensus.store.transport;

import dev.consensus.api.raftpb.FileChunk;
import dev.consensus.api.raftpb.SnapshotChunk;
import dev.consensus.api.raftpb.SnapshotFile;
import dev.consensus.api.raftpb.SnapshotHeader;
import dev.consensus.api.raftpb.SnapshotReceived;
import dev.consensus.store.raft.Message;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives one snapshot stream into a fresh directory. The core hears of it only when every file
 * has arrived with its declared size, every chunk's checksum matched, and all of it is fsynced;
 * a stream that breaks or lies is refused and its directory removed, so no half snapshot is
 * ever handed on. gRPC calls these methods one at a time for one call.
 */
final class SnapshotReceiver implements StreamObserver<SnapshotChunk> {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotReceiver.class);

    /**
     * One file: where, how big it must end up, how much has arrived. It is open only while its
     * bytes arrive, and synced and closed as soon as they are all in: a checkpoint may hold
     * thousands of files, and they should not all hold a descriptor at once.
     */
    private static final class Sink {
        final String name;
        final Path path;
        final long size;
        FileChannel channel;
        long written;
        boolean synced;

        Sink(String name, Path path, long size) {
            this.name = name;
            this.path = path;
            this.size = size;
        }

        void write(ByteBuffer data) throws IOException {
            if (channel == null) {
                open();
            }
            int length = data.remaining();
            while (data.hasRemaining()) {
                channel.write(data);
            }
            written += length;
            if (written == size) {
                sync();
            }
        }

        /** Flushes the file to disk and closes it; an empty file is created here. */
        void sync() throws IOException {
            if (channel == null) {
                open();
            }
            channel.force(true);
            channel.close();
            channel = null;
            synced = true;
        }

        void closeQuietly() {
            try {
                if (channel != null) {
                    channel.close();
                }
            } catch (IOException e) {
                // the directory is removed next anyway
            }
        }

        private void open() throws IOException {
            Files.createDirectories(path.getParent());
            channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        }
    }

    private final PeerChecks checks;
    private final SnapshotPayloads payloads;
    private final PeerInbound inbound;
    private final StreamObserver<SnapshotReceived> response;
    private final List<Sink> sinks = new ArrayList<>();
    private Message.InstallSnapshot message;
    private Path dir;
    private boolean over;

    SnapshotReceiver(PeerChecks checks, SnapshotPayloads payloads, PeerInbound inbound,
            StreamObserver<SnapshotReceived> response) {
        this.checks = checks;
        this.payloads = payloads;
        this.inbound = inbound;
        this.response = response;
    }

    @Override
    public void onNext(SnapshotChunk chunk) {
        if (over) {
            return;
        }
        try {
            switch (chunk.getPartCase()) {
                case HEADER -> start(chunk.getHeader());
                case FILE_CHUNK -> write(chunk.getFileChunk());
                case PART_NOT_SET -> throw refusal(Status.INVALID_ARGUMENT, "snapshot chunk is empty");
            }
        } catch (StatusException e) {
            refuse(e.getStatus());
        } catch (IOException e) {
            refuse(Status.INTERNAL.withDescription("cannot write the snapshot: " + e.getMessage()));
        }
    }

    private void start(SnapshotHeader header) throws StatusException, IOException {
        if (message != null) {
            throw refusal(Status.INVALID_ARGUMENT, "a snapshot stream has one header");
        }
        Status refused = checks.check(header.getClusterId(), header.getFrom(), header.getTo());
        if (!refused.isOk()) {
            throw refused.asException();
        }
        Message decoded;
        try {
            decoded = MessageCodec.decode(header.getFrom(), header.getTo(), header.getMessage());
        } catch (IllegalArgumentException e) {
            throw refusal(Status.INVALID_ARGUMENT, "malformed snapshot message: " + e.getMessage());
        }
        if (!(decoded instanceof Message.InstallSnapshot install)) {
            throw refusal(Status.INVALID_ARGUMENT, "a snapshot header must carry an InstallSnapshot, not "
                    + decoded.kindName());
        }
        validate(header.getFilesList());
        message = install;
        dir = payloads.newReceiveDir(install.snapshot().metadata()).toAbsolutePath().normalize();
        for (SnapshotFile file : header.getFilesList()) {
            sinks.add(new Sink(file.getName(), SnapshotFiles.resolve(dir, file.getName()), file.getSize()));
        }
        LOG.info("receiving snapshot {} from member {}: {} files into {}", install.snapshot(),
                PeerChecks.hex(install.from()), sinks.size(), dir);
    }

    private static void validate(List<SnapshotFile> files) throws StatusException {
        Set<String> names = new HashSet<>();
        for (SnapshotFile file : files) {
            try {
                SnapshotFiles.resolve(Path.of("/snapshot"), file.getName());
            } catch (IllegalArgumentException e) {
                throw refusal(Status.INVALID_ARGUMENT, e.getMessage());
            }
            if (!names.add(file.getName())) {
                throw refusal(Status.INVALID_ARGUMENT, "snapshot file " + file.getName() + " is listed twice");
            }
            if (file.getSize() < 0) {
                throw refusal(Status.INVALID_ARGUMENT, "snapshot file " + file.getName() + " has a negative size");
            }
        }
        for (String name : names) {
            for (int slash = name.indexOf('/'); slash > 0; slash = name.indexOf('/', slash + 1)) {
                if (names.contains(name.substring(0, slash))) {
                    throw refusal(Status.INVALID_ARGUMENT, "snapshot file " + name.substring(0, slash)
                            + " is also the directory of " + name);
                }
            }
        }
    }

    private void write(FileChunk chunk) throws StatusException, IOException {
        if (message == null) {
            throw refusal(Status.INVALID_ARGUMENT, "a snapshot stream starts with its header");
        }
        if (chunk.getFileIndex() < 0 || chunk.getFileIndex() >= sinks.size()) {
            throw refusal(Status.INVALID_ARGUMENT, "snapshot chunk for file " + Integer.toUnsignedString(
                    chunk.getFileIndex()) + " of " + sinks.size());
        }
        Sink sink = sinks.get(chunk.getFileIndex());
        long length = chunk.getData().size();
        if (chunk.getOffset() != sink.written) {
            throw refusal(Status.INVALID_ARGUMENT, "snapshot file " + sink.name + ": chunk at offset "
                    + chunk.getOffset() + " where " + sink.written + " was expected");
        }
        if (length > sink.size - sink.written) {
            throw refusal(Status.INVALID_ARGUMENT, "snapshot file " + sink.name + ": more than its "
                    + sink.size + " bytes");
        }
        CRC32C crc = new CRC32C();
        crc.update(chunk.getData().asReadOnlyByteBuffer());
        if ((int) crc.getValue() != chunk.getCrc32C()) {
            throw refusal(Status.DATA_LOSS, "snapshot file " + sink.name + ": checksum mismatch in the chunk at offset "
                    + chunk.getOffset());
        }
        if (length > 0) {
            sink.write(chunk.getData().asReadOnlyByteBuffer());
        }
    }

    @Override
    public void onError(Throwable t) {
        if (!over) {
            over = true;
            LOG.warn("snapshot stream broke before it was complete: {}", Status.fromThrowable(t));
            abandon();
        }
    }

    @Override
    public void onCompleted() {
        if (over) {
            return;
        }
        try {
            if (message == null) {
                throw refusal(Status.INVALID_ARGUMENT, "a snapshot stream starts with its header");
            }
            for (Sink sink : sinks) {
                if (sink.written != sink.size) {
                    throw refusal(Status.DATA_LOSS, "snapshot incomplete: file " + sink.name + " has "
                            + sink.written + " of " + sink.size + " bytes");
                }
            }
            syncAll();
        } catch (StatusException e) {
            refuse(e.getStatus());
            return;
        } catch (IOException e) {
            refuse(Status.INTERNAL.withDescription("cannot sync the snapshot: " + e.getMessage()));
            return;
        }
        over = true;
        inbound.receiveSnapshot(message, dir);
        response.onNext(SnapshotReceived.getDefaultInstance());
        response.onCompleted();
    }

    /** Files not yet synced, then every directory up to the snapshot's own, so the names survive a crash too. */
    private void syncAll() throws IOException {
        Set<Path> dirs = new HashSet<>();
        dirs.add(dir);
        for (Sink sink : sinks) {
            if (!sink.synced) {
                sink.sync(); // only empty files are left to create
            }
            for (Path p = sink.path.getParent(); p.startsWith(dir); p = p.getParent()) {
                dirs.add(p);
            }
        }
        for (Path d : dirs) {
            try (FileChannel ch = FileChannel.open(d, StandardOpenOption.READ)) {
                ch.force(true);
            }
        }
    }

    private void refuse(Status status) {
        over = true;
        LOG.warn("refused a snapshot{}: {} {}", message == null ? "" : " from member " + PeerChecks.hex(message.from()),
                status.getCode(), status.getDescription());
        abandon();
        response.onError(status.asRuntimeException());
    }

    /** Closes what is open and removes the directory: nothing of a broken stream stays behind. */
    private void abandon() {
        sinks.forEach(Sink::closeQuietly);
        if (dir != null) {
            try {
                SnapshotFiles.deleteTree(dir);
            } catch (IOException e) {
                LOG.warn("could not remove the incomplete snapshot in {}: {}", dir, e.getMessage());
            }
        }
    }

    private static StatusException refusal(Status status, String description) {
        return status.withDescription(description).asException();
    }
}
