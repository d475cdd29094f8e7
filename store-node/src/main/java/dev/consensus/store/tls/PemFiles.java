package dev.consensus.store.tls;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads certificates and private keys from PEM files with the JDK alone.
 *
 * <p>Keys come in three PEM kinds in practice: PKCS#8 ({@code PRIVATE KEY}), PKCS#1 RSA
 * ({@code RSA PRIVATE KEY}, what cfssl and cert-manager write by default) and SEC1 EC
 * ({@code EC PRIVATE KEY}, what {@code openssl ecparam -genkey} writes). The JDK reads only
 * PKCS#8, so the other two are wrapped into PKCS#8 here: the key bytes stay as they are, only the
 * algorithm identifier around them is added.
 */
final class PemFiles {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
    // DER of the algorithm identifiers: rsaEncryption with NULL parameters, and id-ecPublicKey.
    private static final byte[] RSA_ALGORITHM = HexFormat.of().parseHex("300d06092a864886f70d0101010500");
    private static final byte[] EC_PUBLIC_KEY_OID = HexFormat.of().parseHex("06072a8648ce3d0201");
    private static final List<String> PKCS8_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS");

    private PemFiles() {
    }

    static List<X509Certificate> certificates(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        try {
            List<X509Certificate> certs = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(bytes)).stream()
                    .map(X509Certificate.class::cast).toList();
            if (certs.isEmpty()) {
                throw new IOException("no certificate in " + file);
            }
            return certs;
        } catch (CertificateException e) {
            throw new IOException("cannot read the certificates in " + file + ": " + e.getMessage(), e);
        }
    }

    static PrivateKey privateKey(Path file) throws IOException {
        Matcher block = BLOCK.matcher(Files.readString(file, StandardCharsets.US_ASCII));
        while (block.find()) {
            String kind = block.group(1);
            if (!kind.endsWith("PRIVATE KEY")) {
                continue; // "EC PARAMETERS" and certificates may share the file
            }
            byte[] der = Base64.getMimeDecoder().decode(block.group(2));
            return switch (kind) {
                case "PRIVATE KEY" -> pkcs8(der, file);
                case "RSA PRIVATE KEY" -> pkcs8(wrap(RSA_ALGORITHM, der), file);
                case "EC PRIVATE KEY" -> pkcs8(wrap(ecAlgorithm(der, file), der), file);
                default -> throw new IOException("cannot read " + file + ": " + kind.toLowerCase()
                        + " is not supported (an unencrypted PKCS#8, PKCS#1 RSA or SEC1 EC key is)");
            };
        }
        throw new IOException("no private key in " + file);
    }

    private static PrivateKey pkcs8(byte[] der, Path file) throws IOException {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : PKCS8_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                // not this algorithm: try the next one
            }
        }
        throw new IOException("cannot read the private key in " + file + ": not an RSA, EC or EdDSA key");
    }

    /** PrivateKeyInfo: SEQUENCE { INTEGER 0, algorithm, OCTET STRING key }. */
    private static byte[] wrap(byte[] algorithm, byte[] key) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0x02, 0x01, 0x00});
        body.writeBytes(algorithm);
        body.writeBytes(tlv(0x04, key));
        return tlv(0x30, body.toByteArray());
    }

    /**
     * The algorithm identifier for a SEC1 key: id-ecPublicKey with the curve named in the key's
     * {@code [0]} parameters (ECPrivateKey ::= SEQUENCE { version, privateKey, [0] params, [1] pub }).
     */
    private static byte[] ecAlgorithm(byte[] sec1, Path file) throws IOException {
        Der outer = new Der(sec1);
        Der key = new Der(outer.expect(0x30));
        key.expect(0x02);
        key.expect(0x04);
        while (key.hasMore()) {
            int tag = key.peekTag();
            byte[] content = key.expect(tag);
            if (tag == 0xa0) {
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                body.writeBytes(EC_PUBLIC_KEY_OID);
                body.writeBytes(content); // the curve's OID, already DER
                return tlv(0x30, body.toByteArray());
            }
        }
        throw new IOException("cannot read the EC key in " + file + ": it does not name its curve");
    }

    private static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(length >>> (8 * i));
            }
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    /** Just enough of a DER reader to walk one SEC1 key. */
    private static final class Der {
        private final byte[] bytes;
        private int pos;

        Der(byte[] bytes) {
            this.bytes = bytes;
        }

        boolean hasMore() {
            return pos < bytes.length;
        }

        int peekTag() throws IOException {
            if (!hasMore()) {
                throw new IOException("malformed key: truncated");
            }
            return bytes[pos] & 0xff;
        }

        byte[] expect(int tag) throws IOException {
            if (peekTag() != tag) {
                throw new IOException("malformed key: tag " + Integer.toHexString(peekTag())
                        + " where " + Integer.toHexString(tag) + " was expected");
            }
            pos++;
            int length = readLength();
            if (length > bytes.length - pos) {
                throw new IOException("malformed key: truncated");
            }
            byte[] content = Arrays.copyOfRange(bytes, pos, pos + length);
            pos += length;
            return content;
        }

        private int readLength() throws IOException {
            int first = peekTag();
            pos++;
            if (first < 0x80) {
                return first;
            }
            int count = first & 0x7f;
            if (count == 0 || count > 3) {
                throw new IOException("malformed key: unsupported length encoding");
            }
            int length = 0;
            for (int i = 0; i < count; i++) {
                length = (length << 8) | peekTag();
                pos++;
            }
            return length;
        }
    }
}
