package dev.consensus.store.transport;

import static dev.consensus.store.transport.SampleMessages.BIG_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.consensus.api.raftpb.Append;
import dev.consensus.api.raftpb.EntryType;
import dev.consensus.api.raftpb.InstallSnapshot;
import dev.consensus.api.raftpb.RaftMessage;
import dev.consensus.api.raftpb.SnapshotMetadata;
import dev.consensus.store.cluster.ClusterInfo;
import dev.consensus.store.cluster.Member;
import dev.consensus.store.raft.Message;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageCodecTest {

    @Test
    void every_kind_survives_encoding_and_decoding() {
        List<Message> originals = SampleMessages.everyKind(BIG_ID, 2);
        List<Message> decoded = originals.stream()
                .map(m -> MessageCodec.decode(m.from(), m.to(), reparsed(MessageCodec.encode(m))))
                .toList();
        SampleMessages.assertSameMessages(decoded, originals);
    }

    /** Through bytes, as it travels. */
    private static RaftMessage reparsed(RaftMessage m) {
        try {
            return RaftMessage.parseFrom(m.toByteArray());
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void the_samples_cover_every_kind_of_message() {
        assertThat(SampleMessages.everyKind(1, 2).stream().map(Message::kindName).distinct())
                .hasSize(Message.class.getPermittedSubclasses().length);
        assertThat(SampleMessages.everyKind(1, 2).stream().map(m -> MessageCodec.encode(m).getKindCase()).distinct())
                .hasSize(RaftMessage.KindCase.values().length - 1); // all but KIND_NOT_SET
    }

    @Test
    void a_message_without_a_kind_is_refused() {
        assertThatThrownBy(() -> MessageCodec.decode(1, 2, RaftMessage.newBuilder().setTerm(3).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("raft message without a kind");
    }

    @Test
    void an_entry_at_index_zero_is_refused() {
        RaftMessage bad = RaftMessage.newBuilder().setTerm(1).setAppend(Append.newBuilder()
                .addEntries(dev.consensus.api.raftpb.Entry.newBuilder().setIndex(0).setTerm(1))).build();
        assertThatThrownBy(() -> MessageCodec.decode(1, 2, bad))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("entry index must be >= 1");
    }

    @Test
    void an_unknown_entry_type_is_refused() {
        RaftMessage bad = RaftMessage.newBuilder().setTerm(1).setAppend(Append.newBuilder()
                .addEntries(dev.consensus.api.raftpb.Entry.newBuilder().setIndex(1).setTerm(1).setTypeValue(9))).build();
        assertThatThrownBy(() -> MessageCodec.decode(1, 2, bad))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("unknown entry type");
        assertThat(EntryType.forNumber(9)).isNull();
    }

    @Test
    void a_snapshot_whose_member_both_votes_and_learns_is_refused() {
        RaftMessage bad = RaftMessage.newBuilder().setTerm(1).setInstallSnapshot(InstallSnapshot.newBuilder()
                .setSnapshot(dev.consensus.api.raftpb.Snapshot.newBuilder().setMetadata(SnapshotMetadata.newBuilder()
                        .setIndex(5).setTerm(1).addVoters(3).addLearners(3)))).build();
        assertThatThrownBy(() -> MessageCodec.decode(1, 2, bad))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("both voter and learner");
    }

    @Test
    void cluster_info_survives_encoding_and_decoding() {
        ClusterInfo info = new ClusterInfo(BIG_ID, List.of(
                new Member(1, "m1", List.of(URI.create("https://10.0.0.1:2380")),
                        List.of(URI.create("https://10.0.0.1:2379")), false),
                new Member(BIG_ID, "", List.of(URI.create("http://[::1]:2380")), List.of(), true)));
        assertThat(ClusterCodec.decode(ClusterCodec.encode(info))).isEqualTo(info);
    }

    @Test
    void a_malformed_member_url_is_refused_with_the_member_named() {
        var bad = dev.consensus.api.raftpb.ClusterInfo.newBuilder().setClusterId(1).addMembers(
                dev.consensus.api.raftpb.Member.newBuilder().setId(0xab).addPeerUrls("http://bad host:1")).build();
        assertThatThrownBy(() -> ClusterCodec.decode(bad))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("member ab has a malformed URL");
    }
}
