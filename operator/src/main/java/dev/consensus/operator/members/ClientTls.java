package dev.consensus.operator.members;

/**
 * What the operator shows and trusts when it dials a member over TLS: a client certificate chain and
 * its private key (PKCS#8 PEM, as cert-manager writes {@code tls.key} with {@code encoding: PKCS8}, or
 * PKCS#1/SEC1), and the CA that signed the members' server certificates. PEM text, so two credentials
 * compare by content: a rotated Secret is a different value and gets a new channel.
 *
 * @param certificateChain PEM, {@code tls.crt}
 * @param privateKey PEM, {@code tls.key}
 * @param trustedCa PEM, {@code ca.crt}
 */
public record ClientTls(String certificateChain, String privateKey, String trustedCa) {

  public ClientTls {
    if (certificateChain == null || privateKey == null || trustedCa == null) {
      throw new IllegalArgumentException("client TLS needs a certificate, its key and a trusted CA");
    }
  }

  @Override
  public String toString() {
    return "ClientTls[certificate " + certificateChain.length() + " chars, key hidden, CA " + trustedCa.length()
        + " chars]";
  }
}
