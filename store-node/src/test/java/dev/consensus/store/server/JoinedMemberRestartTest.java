package dev.consensus.store.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.consensus.store.cluster.ClusterInfo;
import dev.consensus.store.cluster.Member;
import dev.consensus.store.raft.Message;
import dev.consensus.store.transport.PeerIdentity;
import dev.consensus.store.transport.PeerInbound;
import dev.consensus.store.transport.PeerTransport;
import dev.consensus.store.transport.SnapshotPayloads;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A member that joined an existing cluster learns its peers by applying the log. Stopped before
 * it applied anything (faults `mixed` seed 11: a learner killed right after it joined) it used to
 * restart knowing no peer, so it could answer no leader and never caught up: "can only promote a
 * learner member which is in sync with leader" for ever. It now restarts with the members it
 * joined, as on its first start.
 */
class JoinedMemberRestartTest {

    @TempDir
    Path dir;

    private static final long CLUSTER = 0xC0FFEEL;
    private static final URI LEADER_PEER = URI.create("http://127.0.0.1:9");
    private static final URI SELF_PEER = URI.create("http://127.0.0.1:10");

    /** Answers the join with a fixed member list, and records the peers each transport is given; sends nothing. */
    private static final class RecordingTransports implements PeerTransportFactory {
        final List<Map<Long, List<URI>>> peersSet = new CopyOnWriteArrayList<>();

        @Override
        public PeerTransport create(PeerIdentity identity, PeerInbound inbound, SnapshotPayloads payloads) {
            return new PeerTransport() {
                @Override
                public void start() {
                }

                @Override
                public void send(List<Message> messages) {
                }

                @Override
                public void setPeers(Map<Long, List<URI>> peerUrls) {
                    peersSet.add(Map.copyOf(peerUrls));
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public ClusterInfo fetchCluster(List<URI> peerUrls) {
            return new ClusterInfo(CLUSTER, List.of(
                    new Member(0xAAL, "m1", List.of(LEADER_PEER), List.of(), false),
                    new Member(0xBBL, "", List.of(SELF_PEER), List.of(), true)));
        }
    }

    private ServerSettings settings() {
        Member m1 = new Member(0xAAL, "m1", List.of(LEADER_PEER), List.of(), false);
        Member m2 = new Member(0xBBL, "m2", List.of(SELF_PEER), List.of(), false);
        return new ServerSettings("m2", dir.resolve("m2"), List.of(URI.create("http://127.0.0.1:11")),
                List.of(SELF_PEER), List.of(m1, m2), CLUSTER, true, "test-token", 50, 500, 100_000, 5_000,
                1536 * 1024, 128, 2L * 1024 * 1024 * 1024, 1, Duration.ofMinutes(10));
    }

    @Test
    void aJoinedMemberRestartedBeforeItAppliedAnythingStillKnowsItsPeers() throws Exception {
        RecordingTransports first = new RecordingTransports();
        StoreServer joined = StoreServer.start(settings(), first, StoreServer.ServerEvents.NONE);
        assertThat(joined.memberId()).isEqualTo(0xBBL);
        assertThat(first.peersSet).last().satisfies(p -> assertThat(p).containsKey(0xAAL));
        joined.close();
        joined.stopped().get(30, TimeUnit.SECONDS); // its backend closed before the restart opens it
        // Nothing reached it, so nothing was applied: its membership is only what it joined.
        RecordingTransports second = new RecordingTransports();
        StoreServer restarted = StoreServer.start(settings(), second, StoreServer.ServerEvents.NONE);
        try {
            assertThat(restarted.appliedIndex()).isZero();
            assertThat(second.peersSet).isNotEmpty();
            assertThat(second.peersSet.get(0)).containsEntry(0xAAL, List.of(LEADER_PEER));
        } finally {
            restarted.close();
            restarted.stopped().get(30, TimeUnit.SECONDS);
        }
    }
}
