package dev.consensus.e2e.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The operator as it runs in a cluster: its own JVM, the shipped main class
 * ({@code dev.consensus.operator.runtime.OperatorMain}) with its command-line flags, and a kubeconfig
 * naming the API server; here the harness's, and the harness's hosts file, through which the
 * operator reaches members by their pod DNS names. Its classpath is this JVM's (the operator's jar
 * and its dependencies are on it).
 */
public final class OperatorProcess implements AutoCloseable {

  public static final String MAIN_CLASS = "dev.consensus.operator.runtime.OperatorMain";

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(OperatorProcess.class);

  private final Process process;
  private final int probePort;
  private final Path log;

  /**
   * @param flags the operator's own flags (see OperatorOptions), e.g. shorter waits for tests
   */
  public OperatorProcess(Path kubeconfig, HostsFile hosts, Path log, List<String> flags) {
    this.probePort = freePort();
    this.log = log;
    List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xms64m", "-Xmx256m", "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1", hosts.jvmOption(), "-Dkubeconfig=" + kubeconfig,
        "-cp", classpath(), MAIN_CLASS, "--probe-port=" + probePort));
    command.addAll(flags);
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("KUBECONFIG", kubeconfig.toString());
    // The leader-election identity, which a pod takes from its hostname.
    pb.environment().put("HOSTNAME", "consensus-operator-" + UUID.randomUUID().toString().substring(0, 8));
    try {
      Files.createDirectories(log.getParent());
      pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      process = pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the operator", e);
    }
    LOG.info("operator started: pid {} probe port {} log {}", process.pid(), probePort, log);
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Surefire and failsafe start tests through a manifest-only jar; the real classpath is in this property. */
  private static String classpath() {
    String cp = System.getProperty("surefire.test.class.path");
    return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Waits (bounded) until the operator's readiness probe answers 200, as a Deployment's rollout
   * would. A failed start leaves the JVM running with no controller (JOSDK's threads are not
   * daemons), so the probe, not the process being alive, tells whether it started.
   */
  public void awaitReady(Duration bound) {
    long deadline = System.nanoTime() + bound.toNanos();
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
      HttpRequest readyz = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + probePort + "/readyz"))
          .timeout(Duration.ofSeconds(2)).build();
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new IllegalStateException("the operator exited with " + process.exitValue() + "; see " + log);
        }
        try {
          if (http.send(readyz, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
            return;
          }
        } catch (IOException e) {
          // not listening yet
        }
        Thread.sleep(250);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for the operator", e);
    }
    throw new IllegalStateException("the operator was not ready within " + bound + "; see " + log);
  }

  public long pid() {
    return process.pid();
  }

  public int probePort() {
    return probePort;
  }

  public Path log() {
    return log;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** SIGTERM, as a pod's deletion would, then SIGKILL after 15 s. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
