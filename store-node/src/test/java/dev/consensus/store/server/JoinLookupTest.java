package dev.consensus.store.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.consensus.store.cluster.ClusterInfo;
import dev.consensus.store.cluster.Member;
import dev.consensus.store.transport.PeerIdentity;
import dev.consensus.store.transport.PeerInbound;
import dev.consensus.store.transport.PeerTransport;
import dev.consensus.store.transport.SnapshotPayloads;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The join's lookup of this member among the running members' answers. MembershipTest failed on
 * it once: the first member asked had not applied the learner's {@code member add} yet, and the
 * join was refused with "member count is unequal" although the leader had acknowledged the add.
 */
class JoinLookupTest {

    private static final long CLUSTER = 0xC0FFEEL;
    private static final URI A = URI.create("http://127.0.0.1:1");
    private static final URI B = URI.create("http://127.0.0.1:2");
    private static final URI SELF = URI.create("http://127.0.0.1:3");
    private static final Member MEMBER_A = new Member(0xA, "a", List.of(A), List.of(), false);
    private static final Member MEMBER_B = new Member(0xB, "b", List.of(B), List.of(), false);
    private static final Member JOINER = new Member(0xC, "", List.of(SELF), List.of(), true);

    /** Answers from a fixed map, asking the URLs of a call in order as the gRPC client does; records what was asked. */
    private static final class Answers implements PeerTransportFactory {
        final Map<URI, ClusterInfo> byUrl;
        final List<URI> asked = new ArrayList<>();

        Answers(Map<URI, ClusterInfo> byUrl) {
            this.byUrl = byUrl;
        }

        @Override
        public PeerTransport create(PeerIdentity identity, PeerInbound inbound, SnapshotPayloads payloads) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ClusterInfo fetchCluster(List<URI> peerUrls) throws IOException {
            for (URI url : peerUrls) {
                asked.add(url);
                if (byUrl.containsKey(url)) {
                    return byUrl.get(url);
                }
            }
            throw new IOException("could not retrieve cluster information from the given URLs: " + peerUrls);
        }
    }

    @Test
    void aMemberThatHasNotAppliedTheAddYetIsNotTheLastWord() throws IOException {
        Answers answers = new Answers(Map.of(
                A, new ClusterInfo(CLUSTER, List.of(MEMBER_A, MEMBER_B)),
                B, new ClusterInfo(CLUSTER, List.of(MEMBER_A, MEMBER_B, JOINER))));
        JoinLookup.Joined joined = JoinLookup.find(answers, List.of(A, B), List.of(SELF));
        assertThat(joined.self()).isEqualTo(JOINER);
        assertThat(joined.cluster().members()).hasSize(3);
        assertThat(answers.asked).containsExactly(A, A, B);
    }

    @Test
    void theFirstAnswerIsTakenWhenItHoldsThisMember() throws IOException {
        Answers answers = new Answers(Map.of(A, new ClusterInfo(CLUSTER, List.of(MEMBER_A, MEMBER_B, JOINER))));
        assertThat(JoinLookup.find(answers, List.of(A, B), List.of(SELF)).self()).isEqualTo(JOINER);
        assertThat(answers.asked).containsExactly(A);
    }

    @Test
    void noMemberKnowingThisOneIsEtcdsRefusal() {
        Answers answers = new Answers(Map.of(A, new ClusterInfo(CLUSTER, List.of(MEMBER_A, MEMBER_B))));
        assertThatThrownBy(() -> JoinLookup.find(answers, List.of(A, B), List.of(SELF)))
                .isInstanceOf(IOException.class)
                .hasMessage("member count is unequal: this member's peer URLs [" + SELF
                        + "] are not in the cluster; add it with 'member add' first");
    }

    @Test
    void anAnswerFromAnotherClusterIsNotTaken() {
        Answers answers = new Answers(Map.of(
                A, new ClusterInfo(CLUSTER, List.of(MEMBER_A)),
                B, new ClusterInfo(0xBAD, List.of(MEMBER_B, JOINER))));
        assertThatThrownBy(() -> JoinLookup.find(answers, List.of(A, B), List.of(SELF)))
                .hasMessageContaining("member count is unequal");
    }
}
