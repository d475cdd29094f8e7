package dev.consensus.store.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.consensus.store.testing.TestCertificates;
import dev.consensus.store.testing.TestCertificates.KeyFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys and certificates in the PEM forms real deployments bring, and the errors for the rest. */
class PemFilesTest {

    @TempDir
    Path dir;

    @Test
    void every_key_form_reads_as_the_same_key_kind() throws IOException {
        TestCertificates ca = TestCertificates.authority(dir, "ca");
        assertThat(PemFiles.privateKey(ca.issue("ec8").keyFile())).isInstanceOf(ECPrivateKey.class);
        assertThat(PemFiles.privateKey(ca.issue("ec1", "EC", KeyFormat.TRADITIONAL).keyFile()))
                .isInstanceOf(ECPrivateKey.class);
        assertThat(PemFiles.privateKey(ca.issue("rsa8", "RSA", KeyFormat.PKCS8).keyFile()))
                .isInstanceOf(RSAPrivateKey.class);
        assertThat(PemFiles.privateKey(ca.issue("rsa1", "RSA", KeyFormat.TRADITIONAL).keyFile()))
                .isInstanceOf(RSAPrivateKey.class);
    }

    @Test
    void a_traditional_key_is_the_private_half_of_its_certificate() throws Exception {
        TestCertificates ca = TestCertificates.authority(dir, "ca");
        for (String algorithm : new String[] {"RSA", "EC"}) {
            TestCertificates.Issued issued = ca.issue(algorithm + "-1", algorithm, KeyFormat.TRADITIONAL);
            PrivateKey key = PemFiles.privateKey(issued.keyFile());
            X509Certificate cert = PemFiles.certificates(issued.certFile()).getFirst();
            String scheme = algorithm.equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
            byte[] text = "signed with the key read from the file".getBytes();

            Signature signer = Signature.getInstance(scheme);
            signer.initSign(key);
            signer.update(text);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(scheme);
            verifier.initVerify(cert.getPublicKey());
            verifier.update(text);
            assertThat(verifier.verify(signature)).as(algorithm).isTrue();
        }
    }

    @Test
    void a_certificate_file_with_a_chain_gives_every_certificate() throws IOException {
        TestCertificates ca = TestCertificates.authority(dir, "ca");
        Path chain = dir.resolve("chain.pem");
        Files.writeString(chain, Files.readString(ca.issue("leaf").certFile()) + Files.readString(ca.caFile()));
        assertThat(PemFiles.certificates(chain)).hasSize(2);
    }

    @Test
    void files_without_what_they_should_hold_are_refused_by_name() throws IOException {
        Path empty = Files.writeString(dir.resolve("empty.pem"), "nothing here\n");
        Path encrypted = Files.writeString(dir.resolve("enc.key"),
                "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n");
        assertThatThrownBy(() -> PemFiles.privateKey(empty)).hasMessage("no private key in " + empty);
        assertThatThrownBy(() -> PemFiles.certificates(empty)).hasMessageContaining(empty.toString());
        assertThatThrownBy(() -> PemFiles.privateKey(encrypted))
                .hasMessageContaining("encrypted private key is not supported");
        assertThatThrownBy(() -> TlsContexts.server(new TlsSettings(empty, empty, null, false)))
                .isInstanceOf(IOException.class).hasMessageContaining(empty.toString());
    }
}
