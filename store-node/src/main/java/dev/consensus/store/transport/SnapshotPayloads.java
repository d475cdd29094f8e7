package dev.consensus.store.transport;

import dev.consensus.store.raft.Snapshot;
import dev.consensus.store.raft.SnapshotMetadata;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Where the bytes of a Raft snapshot live. The snapshot the core hands around is small (it names a
 * state-machine checkpoint); the checkpoint's files are what the transport streams in chunks.
 */
public interface SnapshotPayloads {

    /** Leader side: the directory of files that make up this snapshot's state. */
    Path checkpointDir(Snapshot snapshot) throws IOException;

    /** Receiving side: a fresh, empty directory to write an incoming snapshot's files into. */
    Path newReceiveDir(SnapshotMetadata metadata) throws IOException;
}
