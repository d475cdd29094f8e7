package dev.consensus.store.transport;

import static dev.consensus.store.transport.GrpcPeerTransportTest.heartbeat;
import static dev.consensus.store.transport.RecordingInbound.next;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.consensus.store.cluster.ClusterInfo;
import dev.consensus.store.cluster.Member;
import dev.consensus.store.raft.Message;
import dev.consensus.store.testing.TestCertificates;
import dev.consensus.store.testing.TestCertificates.KeyFormat;
import dev.consensus.store.tls.TlsSettings;
import dev.consensus.store.transport.PeerNodes.Node;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Peers over TLS with client certificates required, as etcd's --peer-client-cert-auth asks. */
class PeerTlsTest {

    private static final String HTTPS = "https://127.0.0.1:0";
    private static final Duration TIMEOUT = Duration.ofSeconds(RecordingInbound.WAIT_SECONDS);

    @TempDir
    Path dir;

    private PeerNodes nodes;
    private TestCertificates ca;

    @BeforeEach
    void setUp() throws IOException {
        nodes = new PeerNodes(dir);
        ca = TestCertificates.authority(Files.createDirectories(dir.resolve("pki")), "cluster-ca");
    }

    @AfterEach
    void tearDown() {
        nodes.close();
    }

    @Test
    void members_with_certificates_from_the_trusted_ca_talk_over_tls() {
        Node a = startTls(1, ca.settings(ca.issue("member-1"), true));
        Node b = startTls(2, ca.settings(ca.issue("member-2"), true));
        nodes.connectAll();

        List<Message> toB = SampleMessages.everyBatchKind(1, 2);
        a.transport().send(toB);
        b.transport().send(List.of(heartbeat(2, 1, 9)));

        SampleMessages.assertSameMessages(b.inbound().nextMessages(toB.size()), toB);
        assertThat(next(a.inbound().messages, "b's heartbeat")).isInstanceOf(Message.Heartbeat.class);
    }

    @Test
    void a_member_whose_certificate_another_ca_signed_is_refused() {
        Node a = startTls(1, ca.settings(ca.issue("member-1"), true));
        TestCertificates rogue = TestCertificates.authority(dir.resolve("pki"), "rogue-ca");
        TestCertificates.Issued intruderCert = rogue.issue("intruder");
        // It trusts the cluster's CA, so it would accept a's certificate; a does not accept its own.
        Node intruder = startTls(3, new TlsSettings(intruderCert.certFile(), intruderCert.keyFile(), ca.caFile(), true));
        PeerNodes.connect(intruder, a);

        intruder.transport().send(List.of(heartbeat(3, 1, 1)));

        assertThat(next(intruder.inbound().unreachable, "the refused handshake")).isEqualTo(1L);
        assertThat(a.inbound().messages).isEmpty();
    }

    @Test
    void a_client_without_a_certificate_is_refused_when_client_certificates_are_required() {
        Node a = startTls(1, ca.settings(ca.issue("member-1"), true));
        a.inbound().cluster = new ClusterInfo(PeerNodes.CLUSTER, List.of());

        assertThatThrownBy(() -> PeerClient.fetchCluster(List.of(a.url()),
                Optional.of(TlsSettings.trustOnly(ca.caFile())), TIMEOUT))
                .isInstanceOf(IOException.class).hasMessageContaining(a.url().toString());
        assertThat(fetch(a, ca.settings(ca.issue("joiner"), false)).clusterId()).isEqualTo(PeerNodes.CLUSTER);
    }

    @Test
    void a_server_whose_certificate_the_client_does_not_trust_is_refused() {
        Node a = startTls(1, ca.settings(ca.issue("member-1"), false));
        a.inbound().cluster = new ClusterInfo(PeerNodes.CLUSTER, List.of());
        TestCertificates other = TestCertificates.authority(dir.resolve("pki"), "other-ca");

        assertThatThrownBy(() -> PeerClient.fetchCluster(List.of(a.url()),
                Optional.of(TlsSettings.trustOnly(other.caFile())), TIMEOUT))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("could not retrieve cluster information from the given URLs");
        // Without client-cert-auth, trusting the server's CA is enough.
        assertThat(fetch(a, TlsSettings.trustOnly(ca.caFile())).clusterId()).isEqualTo(PeerNodes.CLUSTER);
    }

    @Test
    void rsa_pkcs1_and_ec_sec1_keys_serve_as_well_as_pkcs8_ones() {
        TestCertificates.Issued rsa = ca.issue("member-rsa", "RSA", KeyFormat.TRADITIONAL);
        TestCertificates.Issued ec = ca.issue("member-ec", "EC", KeyFormat.TRADITIONAL);
        assertThat(readString(rsa.keyFile())).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertThat(readString(ec.keyFile())).startsWith("-----BEGIN EC PRIVATE KEY-----");

        Node a = startTls(1, ca.settings(rsa, true));
        a.inbound().cluster = new ClusterInfo(PeerNodes.CLUSTER, List.of(
                new Member(1, "a", List.of(a.url()), List.of(), false)));

        assertThat(fetch(a, ca.settings(ec, false)).members()).extracting(Member::name).containsExactly("a");
    }

    @Test
    void https_listen_urls_need_a_certificate_and_urls_cannot_mix_schemes() {
        RecordingInbound inbound = new RecordingInbound();
        DirPayloads payloads = new DirPayloads(dir);
        PeerIdentity id = new PeerIdentity(1, 1);
        assertThatThrownBy(() -> new GrpcPeerTransport(id, List.of(URI.create(HTTPS)), inbound, payloads,
                Optional.empty(), PeerNodes.CONFIG))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("need --peer-cert-file and --peer-key-file");
        assertThatThrownBy(() -> new GrpcPeerTransport(id,
                List.of(URI.create(HTTPS), URI.create("http://127.0.0.1:0")), inbound, payloads,
                Optional.of(ca.settings(ca.issue("m"), false)), PeerNodes.CONFIG))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mix http and https");
    }

    @Test
    void tls_settings_refuse_a_certificate_without_its_key_and_client_auth_without_a_ca() {
        Path file = dir.resolve("x.pem");
        assertThatThrownBy(() -> new TlsSettings(file, null, null, false))
                .hasMessage("TLS: the certificate file and the key file must be given together");
        assertThatThrownBy(() -> new TlsSettings(file, file, null, true))
                .hasMessage("TLS: client certificate authentication needs a trusted CA file");
    }

    private Node startTls(long id, TlsSettings tls) {
        return nodes.start(id, PeerNodes.CLUSTER, PeerNodes.CONFIG, tls, HTTPS);
    }

    private static ClusterInfo fetch(Node from, TlsSettings tls) {
        try {
            return PeerClient.fetchCluster(List.of(from.url()), Optional.of(tls), TIMEOUT);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String readString(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
