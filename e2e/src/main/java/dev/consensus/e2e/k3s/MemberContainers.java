package dev.consensus.e2e.k3s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.k3s.K3sContainer;

/**
 * A member's container as the node sees it: k3s's containerd runs inside the k3s container, so its
 * processes are in that container's PID namespace and {@code crictl} and {@code kill} there reach
 * them. A SIGKILL from inside the member's own container would not: there the JVM is PID 1, which
 * ignores signals it has no handler for.
 */
final class MemberContainers {

  private final K3sContainer k3s;
  private final String containerName;

  MemberContainers(K3sContainer k3s, String containerName) {
    this.k3s = k3s;
    this.containerName = containerName;
  }

  /**
   * SIGKILLs the pod's running member container, if one runs; the kubelet restarts it. Returns whether
   * there was one.
   */
  boolean kill(String namespace, String pod) {
    String id = exec(List.of("crictl", "ps", "-q", "--state", "running",
        "--label", "io.kubernetes.pod.namespace=" + namespace,
        "--label", "io.kubernetes.pod.name=" + pod,
        "--name", "^" + containerName + "$")).strip();
    if (id.isEmpty()) {
      return false;
    }
    String pid = exec(List.of("crictl", "inspect", "--output", "go-template", "--template", "{{.info.pid}}",
        id.lines().findFirst().orElseThrow())).strip();
    if (!pid.matches("[1-9][0-9]*")) {
      throw new IllegalStateException("crictl gave no PID for " + namespace + "/" + pod + ": '" + pid + "'");
    }
    exec(List.of("kill", "-KILL", pid));
    return true;
  }

  private String exec(List<String> command) {
    try {
      ExecResult result = k3s.execInContainer(command.toArray(String[]::new));
      if (result.getExitCode() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " in the k3s container exited with "
            + result.getExitCode() + ": " + result.getStderr().strip());
      }
      return result.getStdout();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command.getFirst(), e);
    }
  }
}
