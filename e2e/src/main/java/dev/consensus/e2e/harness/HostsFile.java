package dev.consensus.e2e.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The harness's DNS: a hosts file that every JVM it starts (the operator, store-node members) reads
 * through {@code -Djdk.net.hosts.file}, so pod and Service names resolve to the pods' loopback
 * addresses as cluster DNS would resolve them to pod IPs. A JVM given such a file resolves nothing
 * else, so localhost and this machine's own name are in it too. Go programs (etcd) cannot use it.
 *
 * <p>The JDK rereads the file when its modification time changes; names are added before any process
 * looks them up (the JDK caches a failed lookup for 10 s).
 */
public final class HostsFile {

  private final Path path;
  private final List<String> lines = new ArrayList<>();

  public HostsFile(Path path) {
    this.path = path;
    lines.add("127.0.0.1 localhost");
    try {
      lines.add("127.0.0.1 " + InetAddress.getLocalHost().getHostName());
    } catch (UnknownHostException e) {
      // a machine without a resolvable own name: nothing to add
    }
    write();
  }

  public Path path() {
    return path;
  }

  /** The JVM option that makes a JVM resolve names through this file. */
  public String jvmOption() {
    return "-Djdk.net.hosts.file=" + path;
  }

  /** Adds {@code name} resolving to {@code address}; a name added with several addresses resolves to all. */
  public synchronized void add(String address, String name) {
    lines.add(address + " " + name);
    write();
  }

  private synchronized void write() {
    try {
      Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
      Files.write(tmp, lines);
      Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the hosts file " + path, e);
    }
  }
}
