package dev.consensus.store.tls;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/**
 * Builds the SSL contexts of grpc-netty-shaded servers and channels from {@link TlsSettings}.
 * Used for the peer listener and the peer channels, and for the client API listener.
 */
public final class TlsContexts {

    private TlsContexts() {
    }

    /**
     * A server context: presents the certificate; with {@code clientCertAuth} it refuses any
     * client whose certificate is not signed by the trusted CA, or that shows none.
     */
    public static SslContext server(TlsSettings settings) throws IOException {
        if (!settings.hasCertificate()) {
            throw new IOException("TLS: a server needs a certificate and key file");
        }
        PrivateKey key = PemFiles.privateKey(settings.keyFile());
        X509Certificate[] chain = certificates(settings.certFile());
        SslContextBuilder builder = GrpcSslContexts.configure(SslContextBuilder.forServer(key, chain));
        if (settings.trustedCaFile() != null) {
            builder.trustManager(certificates(settings.trustedCaFile()));
        }
        builder.clientAuth(settings.clientCertAuth() ? ClientAuth.REQUIRE : ClientAuth.NONE);
        return build(builder, settings);
    }

    /**
     * A client context: trusts the CA file (the JDK's CAs without one) and, when the settings
     * have a certificate, shows it to servers that ask for one.
     */
    public static SslContext client(TlsSettings settings) throws IOException {
        SslContextBuilder builder = GrpcSslContexts.forClient();
        if (settings.trustedCaFile() != null) {
            builder.trustManager(certificates(settings.trustedCaFile()));
        }
        if (settings.hasCertificate()) {
            builder.keyManager(PemFiles.privateKey(settings.keyFile()), certificates(settings.certFile()));
        }
        return build(builder, settings);
    }

    private static X509Certificate[] certificates(Path file) throws IOException {
        return PemFiles.certificates(file).toArray(X509Certificate[]::new);
    }

    private static SslContext build(SslContextBuilder builder, TlsSettings settings) throws IOException {
        try {
            return builder.build();
        } catch (IOException | RuntimeException e) {
            // Netty says what is wrong but not with which files.
            throw new IOException("TLS: cannot use certificate " + settings.certFile() + ", key "
                    + settings.keyFile() + ", trusted CA " + settings.trustedCaFile() + ": " + e.getMessage(), e);
        }
    }
}
