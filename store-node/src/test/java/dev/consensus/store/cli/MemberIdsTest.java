package dev.consensus.store.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.consensus.api.etcdserverpb.MemberListRequest;
import dev.consensus.api.etcdserverpb.MemberListResponse;
import dev.consensus.store.testing.EtcdProcess;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Member and cluster IDs compared with what a real etcd 3.4 reports for the same flags. */
class MemberIdsTest {

    @TempDir
    Path tmp;

    @Test
    void aSingleMemberClusterGetsTheIdsEtcdGivesIt() {
        String token = "cli-ids-token";
        try (EtcdProcess etcd = EtcdProcess.start(tmp, List.of("--initial-cluster-token=" + token))) {
            Map<String, List<URI>> cluster = Map.of(EtcdProcess.NAME, List.of(URI.create(etcd.peerUrl())));
            assertMatches(etcd, cluster, token);
        }
    }

    @Test
    void peerUrlOrderAndMemberOrderDoNotChangeTheIds() {
        URI a = URI.create("http://10.0.0.1:2380");
        URI b = URI.create("http://10.0.0.2:2380");
        assertThat(MemberIds.memberId(List.of(a, b), "t")).isEqualTo(MemberIds.memberId(List.of(b, a), "t"));
        assertThat(MemberIds.memberId(List.of(a), "t")).isNotEqualTo(MemberIds.memberId(List.of(a), "u"));
        assertThat(MemberIds.clusterId(List.of(1L, -1L, 7L))).isEqualTo(MemberIds.clusterId(List.of(-1L, 7L, 1L)));
    }

    private static void assertMatches(EtcdProcess etcd, Map<String, List<URI>> cluster, String token) {
        MemberListResponse members = etcd.cluster().memberList(MemberListRequest.getDefaultInstance());
        long expectedMember = MemberIds.memberId(cluster.get(EtcdProcess.NAME), token);
        assertThat(members.getMembersList()).hasSize(1);
        assertThat(MemberIds.hex(members.getMembers(0).getID())).isEqualTo(MemberIds.hex(expectedMember));
        assertThat(MemberIds.hex(members.getHeader().getClusterId()))
                .isEqualTo(MemberIds.hex(MemberIds.clusterId(cluster, token)));
        assertThat(MemberIds.hex(members.getHeader().getMemberId())).isEqualTo(MemberIds.hex(expectedMember));
    }
}
