package dev.consensus.store.testing;

import dev.consensus.store.tls.TlsSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * A throwaway certificate authority for TLS tests: it writes its own certificate and the ones it
 * issues as PEM files into a test's directory. Every issued certificate serves both as a server
 * certificate (for 127.0.0.1 and localhost) and as a client certificate, as a member's peer
 * certificate does in etcd.
 *
 * <pre>{@code
 * TestCertificates ca = TestCertificates.authority(tempDir, "test-ca");
 * TestCertificates.Issued member = ca.issue("member-1");
 * TlsSettings tls = ca.settings(member, true); // cert, key, this CA as trusted, client certs required
 * }</pre>
 */
public final class TestCertificates {

    /** A certificate and its key, as PEM files. */
    public record Issued(Path certFile, Path keyFile) {}

    /** How the private key file is written; real deployments bring all three. */
    public enum KeyFormat {
        /** {@code PRIVATE KEY}. */
        PKCS8,
        /** {@code RSA PRIVATE KEY} (cfssl, cert-manager's default) or {@code EC PRIVATE KEY} (openssl ecparam). */
        TRADITIONAL
    }

    private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime() & 0xffffffffL);

    private final Path dir;
    private final String name;
    private final KeyPair keys;
    private final Path caFile;

    private TestCertificates(Path dir, String name, KeyPair keys, Path caFile) {
        this.dir = dir;
        this.name = name;
        this.keys = keys;
        this.caFile = caFile;
    }

    /** A new CA named {@code name}; its certificate is written to {@code dir/<name>.crt}. */
    public static TestCertificates authority(Path dir, String name) {
        try {
            KeyPair keys = ecKeys();
            X500Name subject = new X500Name("CN=" + name);
            X509v3CertificateBuilder builder = builder(subject, subject, keys)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            X509Certificate cert = sign(builder, keys.getPrivate());
            Path caFile = dir.resolve(name + ".crt");
            writePem(caFile, cert);
            return new TestCertificates(dir, name, keys, caFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The CA's certificate, for {@code --peer-trusted-ca-file}. */
    public Path caFile() {
        return caFile;
    }

    /** An EC P-256 certificate for {@code commonName}, its key in PKCS#8. */
    public Issued issue(String commonName) {
        return issue(commonName, "EC", KeyFormat.PKCS8);
    }

    /**
     * A certificate for {@code commonName} with an {@code "EC"} (P-256) or {@code "RSA"} (2048-bit)
     * key written in {@code format}.
     */
    public Issued issue(String commonName, String keyAlgorithm, KeyFormat format) {
        try {
            KeyPair subjectKeys = "RSA".equals(keyAlgorithm) ? rsaKeys() : ecKeys();
            GeneralNames altNames = new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.iPAddress, LoopbackPorts.HOST),
                new GeneralName(GeneralName.dNSName, "localhost")});
            X509v3CertificateBuilder builder = builder(new X500Name("CN=" + name), new X500Name("CN=" + commonName),
                    subjectKeys)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(new KeyPurposeId[] {
                        KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
                    .addExtension(Extension.subjectAlternativeName, false, altNames);
            X509Certificate cert = sign(builder, keys.getPrivate());
            Issued issued = new Issued(dir.resolve(commonName + ".crt"), dir.resolve(commonName + ".key"));
            writePem(issued.certFile(), cert);
            writeKey(issued.keyFile(), subjectKeys.getPrivate(), format);
            return issued;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** TLS settings that show {@code issued} and trust this CA. */
    public TlsSettings settings(Issued issued, boolean clientCertAuth) {
        return new TlsSettings(issued.certFile(), issued.keyFile(), caFile, clientCertAuth);
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair subjectKeys) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))),
                subject, subjectKeys.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey caKey)
            throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKey)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static KeyPair ecKeys() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static KeyPair rsaKeys() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    private static void writePem(Path file, Object object) throws IOException {
        try (Writer out = Files.newBufferedWriter(file); JcaPEMWriter pem = new JcaPEMWriter(out)) {
            pem.writeObject(object);
        }
    }

    private static void writeKey(Path file, PrivateKey key, KeyFormat format) throws IOException {
        if (format == KeyFormat.PKCS8) {
            writePem(file, new JcaPKCS8Generator(key, null));
        } else if (key instanceof ECPrivateKey ec) {
            writePem(file, new PemObject("EC PRIVATE KEY", sec1(ec)));
        } else {
            writePem(file, key); // JcaPEMWriter writes an RSA key as PKCS#1
        }
    }

    /**
     * The SEC1 form with the curve named in it, as openssl writes it. (BouncyCastle's writer
     * leaves the curve out when the JDK's key does, and such a file names no curve at all.)
     */
    private static byte[] sec1(ECPrivateKey key) throws IOException {
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
        ASN1Encodable curve = info.getPrivateKeyAlgorithm().getParameters();
        int bits = key.getParams().getOrder().bitLength();
        return new org.bouncycastle.asn1.sec.ECPrivateKey(bits, key.getS(), curve).getEncoded();
    }
}
