package dev.consensus.store.cluster;

import java.net.URI;
import java.util.List;

/**
 * One member as etcd's {@code member list} shows it. The Raft core knows only ids; names and URLs
 * travel beside the membership change that added the member and live in the state machine.
 */
public record Member(long id, String name, List<URI> peerUrls, List<URI> clientUrls, boolean learner) {

    public Member {
        name = name == null ? "" : name;
        peerUrls = List.copyOf(peerUrls);
        clientUrls = List.copyOf(clientUrls);
    }

    /** A member that was added but has not started yet has no name and no client URLs. */
    public boolean started() {
        return !name.isEmpty();
    }

    public Member withLearner(boolean isLearner) {
        return new Member(id, name, peerUrls, clientUrls, isLearner);
    }

    public Member withPeerUrls(List<URI> urls) {
        return new Member(id, name, urls, clientUrls, learner);
    }

    public Member withAttributes(String memberName, List<URI> urls) {
        return new Member(id, memberName, peerUrls, urls, learner);
    }
}
