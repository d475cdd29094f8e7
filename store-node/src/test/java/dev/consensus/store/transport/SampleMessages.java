package dev.consensus.store.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.consensus.store.raft.ConfChange;
import dev.consensus.store.raft.ConfChangeType;
import dev.consensus.store.raft.ConfState;
import dev.consensus.store.raft.Entry;
import dev.consensus.store.raft.Message;
import dev.consensus.store.raft.Proposal;
import dev.consensus.store.raft.Snapshot;
import dev.consensus.store.raft.SnapshotMetadata;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** One message of every kind the core sends, with every field set to something telling. */
final class SampleMessages {

    private SampleMessages() {
    }

    /** Member ids are unsigned: one above Long.MAX_VALUE checks that nothing treats them as signed. */
    static final long BIG_ID = 0x8000_0000_0000_0001L;

    static List<Message> everyKind(long from, long to) {
        Snapshot snapshot = new Snapshot(new SnapshotMetadata(120, 7,
                new ConfState(new TreeSet<>(List.of(from, to, BIG_ID)), Set.of(42L))), bytes("checkpoint-120"));
        return List.of(
                new Message.PreVote(from, to, 8, 119, 7),
                new Message.PreVoteResponse(from, to, 8, true),
                new Message.Vote(from, to, 8, 119, 7, true),
                new Message.VoteResponse(from, to, 8, false),
                new Message.Append(from, to, 7, 100, 6, List.of(
                        Entry.normal(101, 7, bytes("put a=1")),
                        Entry.normal(102, 7, new byte[0]),
                        Entry.confChange(103, 7, new ConfChange(ConfChangeType.ADD_LEARNER, BIG_ID))), 99),
                new Message.AppendResponse(from, to, 7, true, 100, 95, 5),
                new Message.Heartbeat(from, to, 7, 99, 3),
                new Message.HeartbeatResponse(from, to, 7, 3),
                new Message.InstallSnapshot(from, to, 7, snapshot),
                new Message.TimeoutNow(from, to, 7),
                new Message.ForwardedProposal(from, to, 7, List.of(
                        Proposal.of(bytes("put b=2")),
                        Proposal.of(new ConfChange(ConfChangeType.REMOVE_MEMBER, 42)))),
                new Message.ReadIndexRequest(from, to, 7, List.of(1L, 2L, -1L)),
                new Message.ReadIndexResponse(from, to, 7, 99, List.of(1L, 2L, -1L)));
    }

    /** The sample messages minus the one that must travel as a snapshot stream. */
    static List<Message> everyBatchKind(long from, long to) {
        return everyKind(from, to).stream().filter(m -> !(m instanceof Message.InstallSnapshot)).toList();
    }

    /** Same kind, same fields; byte arrays compared by content. */
    static void assertSameMessages(List<Message> actual, List<Message> expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(actual.get(i)).usingRecursiveComparison().withStrictTypeChecking()
                    .as("message %d, a %s", i, expected.get(i).kindName())
                    .isEqualTo(expected.get(i));
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
