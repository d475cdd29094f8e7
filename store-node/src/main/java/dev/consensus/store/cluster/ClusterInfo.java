package dev.consensus.store.cluster;

import java.util.List;

/** What a running member tells one that is joining: whose cluster this is, and who is in it. */
public record ClusterInfo(long clusterId, List<Member> members) {

    public ClusterInfo {
        members = List.copyOf(members);
    }
}
