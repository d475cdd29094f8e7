package dev.consensus.store.transport;

import dev.consensus.store.raft.Message;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;

/** Carries Raft messages between members. Sending never blocks the Raft loop and never throws. */
public interface PeerTransport extends AutoCloseable {

    /** Starts listening on the peer URLs. */
    void start() throws IOException;

    /** Queues messages for their recipients; an {@code InstallSnapshot} is streamed in chunks. */
    void send(List<Message> messages);

    /** The members to talk to and their peer URLs; this member itself may be included and is ignored. */
    void setPeers(Map<Long, List<URI>> peerUrls);

    @Override
    void close();
}
