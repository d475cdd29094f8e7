package dev.consensus.store.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.consensus.store.cluster.ClusterInfo;
import dev.consensus.store.cluster.Member;
import dev.consensus.store.testing.LoopbackPorts;
import dev.consensus.store.transport.PeerNodes.Node;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A joining member asks the cluster who is in it. */
class PeerClientTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(RecordingInbound.WAIT_SECONDS);

    @TempDir
    Path dir;

    private PeerNodes nodes;

    @BeforeEach
    void setUp() {
        nodes = new PeerNodes(dir);
    }

    @AfterEach
    void tearDown() {
        nodes.close();
    }

    @Test
    void the_first_url_that_answers_gives_the_cluster_with_its_learners() throws IOException {
        Node a = nodes.start(1);
        ClusterInfo cluster = new ClusterInfo(PeerNodes.CLUSTER, List.of(
                new Member(1, "infra0", List.of(a.url()), List.of(URI.create("http://127.0.0.1:2379")), false),
                new Member(0xfeedL, "", List.of(URI.create("http://127.0.0.1:12380")), List.of(), true)));
        a.inbound().cluster = cluster;

        ClusterInfo fetched = PeerClient.fetchCluster(List.of(deadUrl(), a.url()), Optional.empty(), TIMEOUT);

        assertThat(fetched).isEqualTo(cluster);
    }

    @Test
    void when_no_url_answers_the_error_says_so_in_etcds_words_and_names_each_url() {
        URI dead = deadUrl();
        Node unready = nodes.start(1); // answers, but does not know its cluster yet

        assertThatThrownBy(() -> PeerClient.fetchCluster(List.of(dead, unready.url()), Optional.empty(), TIMEOUT))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("could not retrieve cluster information from the given URLs: ")
                .hasMessageContaining(dead + ": UNAVAILABLE")
                .hasMessageContaining(unready.url() + ": UNAVAILABLE this member does not know its cluster yet");
    }

    @Test
    void a_url_that_is_not_http_is_named_in_the_error() {
        assertThatThrownBy(() -> PeerClient.fetchCluster(List.of(URI.create("unix:///tmp/peer.sock")),
                Optional.empty(), TIMEOUT))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("URL scheme must be http or https: unix:///tmp/peer.sock");
    }

    /** A port that was free a moment ago: nothing listens there. */
    private static URI deadUrl() {
        return URI.create("http://" + LoopbackPorts.HOST + ":" + LoopbackPorts.pick(1).getFirst());
    }
}
