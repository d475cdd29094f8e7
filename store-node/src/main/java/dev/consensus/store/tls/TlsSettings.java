package dev.consensus.store.tls;

import java.nio.file.Path;

/**
 * One listener kind's TLS, as etcd's {@code --peer-*} (or client) flags give it. Files are PEM.
 *
 * <p>The same settings serve both ends of a peer connection: the certificate is this member's
 * server certificate and also the client certificate it shows other members, as in etcd.
 *
 * @param certFile       this member's certificate chain; null for a client that shows none
 * @param keyFile        the certificate's private key (PKCS#8, PKCS#1 RSA or SEC1 EC); null with no certificate
 * @param trustedCaFile  the CAs whose certificates are trusted; null means the JDK's default CAs
 * @param clientCertAuth a server requires client certificates signed by {@code trustedCaFile}
 */
public record TlsSettings(Path certFile, Path keyFile, Path trustedCaFile, boolean clientCertAuth) {

    public TlsSettings {
        if ((certFile == null) != (keyFile == null)) {
            throw new IllegalArgumentException("TLS: the certificate file and the key file must be given together");
        }
        if (clientCertAuth && trustedCaFile == null) {
            // Without a CA of its own, a server would accept any publicly signed certificate.
            throw new IllegalArgumentException("TLS: client certificate authentication needs a trusted CA file");
        }
    }

    /** Settings for a client that shows no certificate and trusts {@code trustedCaFile}. */
    public static TlsSettings trustOnly(Path trustedCaFile) {
        return new TlsSettings(null, null, trustedCaFile, false);
    }

    public boolean hasCertificate() {
        return certFile != null;
    }
}
