package dev.consensus.store.transport;

import dev.consensus.api.raftpb.GetClusterRequest;
import dev.consensus.api.raftpb.PeerGrpc;
import dev.consensus.store.cluster.ClusterInfo;
import dev.consensus.store.tls.TlsSettings;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** One-off questions to peers, asked before this member has a transport of its own. */
public final class PeerClient {

    private PeerClient() {
    }

    /**
     * Asks each URL in turn for the cluster's id and members, as a joining member does, and returns
     * the first answer.
     *
     * @param timeout for each URL
     * @throws IOException with etcd's words and every URL's failure, if none answered
     */
    public static ClusterInfo fetchCluster(List<URI> peerUrls, Optional<TlsSettings> tls, Duration timeout)
            throws IOException {
        PeerChannels channels = new PeerChannels(tls, TransportConfig.defaults());
        List<String> failures = new ArrayList<>();
        for (URI url : peerUrls) {
            ManagedChannel channel = null;
            try {
                channel = channels.open(url);
                return ClusterCodec.decode(PeerGrpc.newBlockingStub(channel)
                        .withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS)
                        .getCluster(GetClusterRequest.getDefaultInstance()));
            } catch (StatusRuntimeException e) {
                failures.add(url + ": " + e.getStatus().getCode() + " " + e.getStatus().getDescription());
            } catch (IOException | IllegalArgumentException e) {
                failures.add(url + ": " + e.getMessage());
            } finally {
                if (channel != null) {
                    channel.shutdownNow();
                }
            }
        }
        throw new IOException("could not retrieve cluster information from the given URLs: "
                + String.join("; ", failures));
    }
}
