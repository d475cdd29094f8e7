package dev.consensus.operator.harness;

import dev.consensus.operator.members.ClientTls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway CA and one certificate issued by it, made with the openssl command: EC P-256, the key
 * in PKCS#8, usable as a server and as a client certificate (what etcd's peers and an operator with
 * {@code --client-cert-auth} need), for the given IP addresses and DNS names.
 */
public final class TestTls {

  private TestTls() {
  }

  /** Writes {@code ca.crt}, {@code tls.crt} and {@code tls.key} into {@code dir} and returns them. */
  public static ClientTls issue(Path dir, List<String> ipAddresses, List<String> dnsNames) {
    try {
      Files.createDirectories(dir);
      List<String> names = new ArrayList<>();
      ipAddresses.forEach(ip -> names.add("IP:" + ip));
      dnsNames.forEach(dns -> names.add("DNS:" + dns));
      Path ext = dir.resolve("ext.cnf");
      Files.writeString(ext, String.join("\n", "basicConstraints=CA:FALSE",
          "keyUsage=critical,digitalSignature,keyEncipherment", "extendedKeyUsage=serverAuth,clientAuth",
          "subjectAltName=" + String.join(",", names)) + "\n");
      openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
          "-keyout", "ca.key", "-out", "ca.crt", "-subj", "/CN=consensus-test-ca", "-days", "1",
          "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
      openssl(dir, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
          "-keyout", "tls.key", "-out", "tls.csr", "-subj", "/CN=consensus-member");
      openssl(dir, "x509", "-req", "-in", "tls.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
          "-days", "1", "-extfile", "ext.cnf", "-out", "tls.crt");
      return new ClientTls(Files.readString(dir.resolve("tls.crt"), StandardCharsets.US_ASCII),
          Files.readString(dir.resolve("tls.key"), StandardCharsets.US_ASCII),
          Files.readString(dir.resolve("ca.crt"), StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void openssl(Path dir, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add("openssl");
    command.addAll(List.of(args));
    Path log = dir.resolve("openssl.log");
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    try {
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("openssl " + args[0] + " did not finish within 30 s");
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException("openssl " + String.join(" ", args) + " failed: " + Files.readString(log));
    }
  }
}
