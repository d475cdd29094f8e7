package dev.consensus.store.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.consensus.store.raft.ConfState;
import dev.consensus.store.raft.Entry;
import dev.consensus.store.raft.EntryType;
import dev.consensus.store.raft.Message;
import dev.consensus.store.raft.Proposal;
import dev.consensus.store.raft.RaftConfig;
import dev.consensus.store.raft.RaftLogger;
import dev.consensus.store.raft.RaftNode;
import dev.consensus.store.raft.Ready;
import dev.consensus.store.raft.SoftState;
import dev.consensus.store.storage.MemberDir;
import dev.consensus.store.storage.RealFileLayer;
import dev.consensus.store.storage.WalConfig;
import dev.consensus.store.storage.WalStorage;
import dev.consensus.store.transport.PeerTransport;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The order in which the Raft loop persists and sends, on a real WAL. */
class RaftLoopTest {

    private static final long LEADER = 1;
    private static final long SELF = 2;

    @TempDir
    Path dir;

    /**
     * A follower's forwarded proposal vouches for nothing in its log, so it goes to the leader
     * before the fsync of the same Ready; the append response does vouch for the entries and
     * must wait for it. (Sending everything after the fsync cost a follower's clients one more
     * fsync per write.)
     */
    @Test
    void followerForwardsAProposalBeforeItsFsyncAndAcknowledgesAppendsAfterIt() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        WalStorage storage = WalStorage.createMember(new MemberDir(dir), ConfState.ofVoters(1L, 2L, 3L),
                WalConfig.defaults(), new RealFileLayer());
        RaftNode node = new RaftNode(RaftConfig.defaults(SELF), storage, new SplittableRandom(1), RaftLogger.DISCARD);
        RaftLoop loop = new RaftLoop(node, storage, recordingTransport(events), quietListener(), 100,
                nanos -> events.add("fsync"));
        loop.start();
        try {
            long last = storage.lastIndex();
            Entry entry = new Entry(last + 1, 2, EntryType.NORMAL, "from the leader".getBytes(StandardCharsets.UTF_8));
            // One task, so that one Ready holds the new entry, the response and the forwarded proposal.
            loop.submit(n -> {
                n.step(new Message.Append(LEADER, SELF, 2, last, 1, List.of(entry), last));
                n.propose(List.of(Proposal.of("from a client".getBytes(StandardCharsets.UTF_8))));
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> events.contains("send AppendResponse"));

            assertThat(events).containsSubsequence("send ForwardedProposal", "fsync", "send AppendResponse");
        } finally {
            loop.stop();
            storage.close();
        }
    }

    private static PeerTransport recordingTransport(List<String> events) {
        return new PeerTransport() {
            @Override
            public void start() {
            }

            @Override
            public void send(List<Message> messages) {
                messages.forEach(m -> events.add("send " + m.getClass().getSimpleName()));
            }

            @Override
            public void setPeers(Map<Long, List<URI>> peerUrls) {
            }

            @Override
            public void close() {
            }
        };
    }

    private static RaftLoop.Listener quietListener() {
        return new RaftLoop.Listener() {
            @Override
            public void softStateChanged(SoftState previous, SoftState current) {
            }

            @Override
            public void committed(Ready ready) {
            }

            @Override
            public void failed(Throwable cause) {
            }
        };
    }
}
