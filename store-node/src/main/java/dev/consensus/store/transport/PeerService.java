package dev.consensus.store.transport;

import dev.consensus.api.raftpb.ClusterInfo;
import dev.consensus.api.raftpb.GetClusterRequest;
import dev.consensus.api.raftpb.MessageBatch;
import dev.consensus.api.raftpb.PeerGrpc;
import dev.consensus.api.raftpb.SnapshotChunk;
import dev.consensus.api.raftpb.SnapshotReceived;
import dev.consensus.api.raftpb.StreamClosed;
import dev.consensus.store.raft.Message;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The receiving side of the peer protocol: checks every batch and snapshot, then hands it on. */
final class PeerService extends PeerGrpc.PeerImplBase {

    private static final Logger LOG = LoggerFactory.getLogger(PeerService.class);

    private final PeerChecks checks;
    private final PeerInbound inbound;
    private final SnapshotPayloads payloads;
    private final AtomicLong batchesReceived = new AtomicLong();

    PeerService(PeerChecks checks, PeerInbound inbound, SnapshotPayloads payloads) {
        this.checks = checks;
        this.inbound = inbound;
        this.payloads = payloads;
    }

    long batchesReceived() {
        return batchesReceived.get();
    }

    @Override
    public StreamObserver<MessageBatch> stream(StreamObserver<StreamClosed> response) {
        return new StreamObserver<>() {
            private boolean refused;
            private long sender; // once a batch was taken from it

            @Override
            public void onNext(MessageBatch batch) {
                if (refused) {
                    return;
                }
                Status refusal = checks.check(batch.getClusterId(), batch.getFrom(), batch.getTo());
                List<Message> messages = List.of();
                if (refusal.isOk()) {
                    try {
                        messages = MessageCodec.decodeAll(batch.getFrom(), batch.getTo(), batch.getMessagesList());
                        if (messages.stream().anyMatch(m -> m instanceof Message.InstallSnapshot)) {
                            refusal = Status.INVALID_ARGUMENT.withDescription(
                                    "an InstallSnapshot must come through SendSnapshot, with its files");
                        }
                    } catch (IllegalArgumentException e) {
                        refusal = Status.INVALID_ARGUMENT.withDescription("malformed raft message: " + e.getMessage());
                    }
                    if (!refusal.isOk()) {
                        LOG.warn("refused a batch from member {}: {}", PeerChecks.hex(batch.getFrom()),
                                refusal.getDescription());
                    }
                }
                if (!refusal.isOk()) {
                    refused = true;
                    response.onError(refusal.asRuntimeException());
                    return;
                }
                batchesReceived.incrementAndGet();
                sender = batch.getFrom();
                inbound.receive(messages);
            }

            @Override
            public void onError(Throwable t) {
                // The sender went away or cancelled; it reconnects when it has something to say.
                // A leader's messages come on this stream: if it broke, so may the leader have.
                if (sender != 0) {
                    inbound.connectionLost(sender);
                }
            }

            @Override
            public void onCompleted() {
                if (!refused) {
                    response.onNext(StreamClosed.getDefaultInstance());
                    response.onCompleted();
                }
            }
        };
    }

    @Override
    public StreamObserver<SnapshotChunk> sendSnapshot(StreamObserver<SnapshotReceived> response) {
        return new SnapshotReceiver(checks, payloads, inbound, response);
    }

    @Override
    public void getCluster(GetClusterRequest request, StreamObserver<ClusterInfo> response) {
        dev.consensus.store.cluster.ClusterInfo info = inbound.clusterInfo();
        if (info == null) {
            response.onError(Status.UNAVAILABLE.withDescription("this member does not know its cluster yet")
                    .asRuntimeException());
            return;
        }
        response.onNext(ClusterCodec.encode(info));
        response.onCompleted();
    }
}
