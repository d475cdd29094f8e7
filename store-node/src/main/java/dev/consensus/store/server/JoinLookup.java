package dev.consensus.store.server;

import dev.consensus.store.cluster.ClusterInfo;
import dev.consensus.store.cluster.Member;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a member started with {@code --initial-cluster-state existing} learns from the running
 * members: the cluster and the entry that {@code member add} made for it. A member that had not yet
 * applied that add answers without it, though the leader acknowledged it (a follower applies a
 * moment later); so an answer without us is checked against every other member before the join is
 * refused.
 */
final class JoinLookup {

    /** The cluster, and this member as the cluster knows it. */
    record Joined(ClusterInfo cluster, Member self) {
    }

    private JoinLookup() {
    }

    static Joined find(PeerTransportFactory transports, List<URI> others, List<URI> selfPeerUrls) throws IOException {
        ClusterInfo first = transports.fetchCluster(others);
        Optional<Member> self = self(first, selfPeerUrls);
        if (self.isPresent()) {
            return new Joined(first, self.get());
        }
        for (URI url : others) {
            try {
                ClusterInfo info = transports.fetchCluster(List.of(url));
                Optional<Member> found = self(info, selfPeerUrls);
                if (found.isPresent() && info.clusterId() == first.clusterId()) {
                    return new Joined(info, found.get());
                }
            } catch (IOException e) {
                // The first answer stands; this member being down changes nothing.
            }
        }
        throw new IOException("member count is unequal: this member's peer URLs " + selfPeerUrls
                + " are not in the cluster; add it with 'member add' first");
    }

    private static Optional<Member> self(ClusterInfo info, List<URI> selfPeerUrls) {
        Set<URI> wanted = Set.copyOf(selfPeerUrls);
        return info.members().stream().filter(m -> Set.copyOf(m.peerUrls()).equals(wanted)).findFirst();
    }
}
