package dev.consensus.e2e.harness;

import io.fabric8.kubernetes.api.model.Container;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the harness runs for a container image, in place of pulling it: the store-node image is run
 * as {@code bin/store-node} on the packaged jar (a JVM given the harness's hosts file), a stock etcd
 * image as Debian's {@code /usr/bin/etcd}. A container's {@code command}, when set, wins over the
 * image, as it replaces an image's entrypoint; its first word picks the program by its file name.
 *
 * <p>etcd, a Go program, cannot be given the hosts file as a JVM is. Where the harness may make
 * mount namespaces (it runs as root), each etcd runs in one of its own, with the hosts file bind-
 * mounted over /etc/hosts, and resolves pod names as the JVMs do; elsewhere the pod runner rewrites
 * pod names in etcd's arguments to loopback addresses, which only clusters whose other members and
 * client also use addresses can live with.
 *
 * @param repoRoot the repository root (bin/store-node lives there)
 * @param storeNodeJar the jar bin/store-node runs
 * @param hosts the hosts file store-node JVMs resolve names through
 * @param storeNodeJavaOpts JVM options for members; small heaps, so that five members and the operator fit
 */
public record LocalImages(Path repoRoot, Path storeNodeJar, HostsFile hosts, String storeNodeJavaOpts) {

  /** The two programs the harness can run. */
  public enum Kind {
    STORE_NODE, ETCD
  }

  public static final String ETCD_BINARY = "/usr/bin/etcd";
  public static final String DEFAULT_JAVA_OPTS =
      "-Xms64m -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:+ExitOnOutOfMemoryError";

  public LocalImages {
    if (!Files.isRegularFile(storeNodeJar)) {
      throw new IllegalStateException(storeNodeJar + " does not exist: package store-node first"
          + " (./mvnw -pl store-node -am package -DskipTests, or make build)");
    }
  }

  /** Whether etcd processes get the hosts file as their /etc/hosts (see the class comment); probed once. */
  public boolean etcdReadsHostsFile() {
    return PrivateEtcHosts.AVAILABLE;
  }

  /** Asks once whether {@code unshare --mount} works here. */
  private static final class PrivateEtcHosts {
    static final boolean AVAILABLE = probe();

    private static boolean probe() {
      try {
        Process p = new ProcessBuilder("unshare", "--mount", "--propagation", "private", "true")
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) && p.exitValue() == 0;
      } catch (java.io.IOException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }

  public Kind kind(Container container) {
    List<String> command = container.getCommand();
    String program = command == null || command.isEmpty() ? repository(container.getImage())
        : Path.of(command.get(0)).getFileName().toString();
    String last = program.substring(program.lastIndexOf('/') + 1);
    return switch (last) {
      case "store-node" -> Kind.STORE_NODE;
      case "etcd" -> Kind.ETCD;
      default -> throw new IllegalArgumentException("the e2e harness runs store-node and etcd images only, not "
          + (command == null || command.isEmpty() ? "image " + container.getImage() : "command " + command));
    };
  }

  private static String repository(String image) {
    String noDigest = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
    int slash = noDigest.lastIndexOf('/');
    int colon = noDigest.lastIndexOf(':');
    return colon > slash ? noDigest.substring(0, colon) : noDigest;
  }

  /** The program and its leading words: the container's command past its first word, then its args follow. */
  public List<String> program(Container container) {
    List<String> out = new ArrayList<>();
    Kind kind = kind(container);
    if (kind == Kind.ETCD && etcdReadsHostsFile()) {
      // unshare and sh each exec the next program: the pid the runner holds ends up etcd's own.
      out.addAll(List.of("unshare", "--mount", "--propagation", "private", "sh", "-c",
          "mount --bind \"$0\" /etc/hosts && exec \"$@\"", hosts.path().toString()));
    }
    out.add(switch (kind) {
      case STORE_NODE -> repoRoot.resolve("bin/store-node").toString();
      case ETCD -> ETCD_BINARY;
    });
    List<String> command = container.getCommand();
    if (command != null && command.size() > 1) {
      out.addAll(command.subList(1, command.size()));
    }
    return out;
  }

  /** Environment the harness adds for the program: the jar and JVM options (with the hosts file) for store-node. */
  public Map<String, String> programEnv(Kind kind) {
    Map<String, String> env = new LinkedHashMap<>();
    if (kind == Kind.STORE_NODE) {
      env.put("STORE_NODE_JAR", storeNodeJar.toString());
      env.put("STORE_NODE_JAVA_OPTS", storeNodeJavaOpts + " " + hosts.jvmOption());
    }
    return env;
  }
}
