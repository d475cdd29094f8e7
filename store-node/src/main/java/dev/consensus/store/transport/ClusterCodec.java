package dev.consensus.store.transport;

import dev.consensus.store.cluster.ClusterInfo;
import dev.consensus.store.cluster.Member;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;

/** {@link ClusterInfo} to and from {@code raftpb}; URLs travel as strings. */
public final class ClusterCodec {

    private ClusterCodec() {
    }

    public static dev.consensus.api.raftpb.ClusterInfo encode(ClusterInfo info) {
        dev.consensus.api.raftpb.ClusterInfo.Builder out = dev.consensus.api.raftpb.ClusterInfo.newBuilder()
                .setClusterId(info.clusterId());
        for (Member m : info.members()) {
            out.addMembers(dev.consensus.api.raftpb.Member.newBuilder()
                    .setId(m.id()).setName(m.name())
                    .addAllPeerUrls(m.peerUrls().stream().map(URI::toString).toList())
                    .addAllClientUrls(m.clientUrls().stream().map(URI::toString).toList())
                    .setIsLearner(m.learner()));
        }
        return out.build();
    }

    /** @throws IllegalArgumentException naming the member and the URL that is not one */
    public static ClusterInfo decode(dev.consensus.api.raftpb.ClusterInfo in) {
        List<Member> members = in.getMembersList().stream()
                .map(m -> new Member(m.getId(), m.getName(), urls(m.getId(), m.getPeerUrlsList()),
                        urls(m.getId(), m.getClientUrlsList()), m.getIsLearner()))
                .toList();
        return new ClusterInfo(in.getClusterId(), members);
    }

    private static List<URI> urls(long memberId, List<String> urls) {
        return urls.stream().map(u -> {
            try {
                return new URI(u);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("member " + Long.toHexString(memberId)
                        + " has a malformed URL " + u + ": " + e.getMessage(), e);
            }
        }).toList();
    }
}
