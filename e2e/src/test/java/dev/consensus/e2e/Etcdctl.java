package dev.consensus.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Debian's etcdctl against a list of endpoints, each call bounded; what a user would type. */
final class Etcdctl {

  static final String BINARY = "/usr/bin/etcdctl";

  /** Its exit code and everything it printed (stdout then stderr, merged). */
  record Result(int exitCode, String output) {
    boolean ok() {
      return exitCode == 0;
    }
  }

  private final List<String> endpoints;

  Etcdctl(List<String> endpoints) {
    this.endpoints = List.copyOf(endpoints);
  }

  Result run(String... args) {
    List<String> command = new ArrayList<>(List.of(BINARY, "--endpoints=" + String.join(",", endpoints),
        "--dial-timeout=2s", "--command-timeout=4s"));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("ETCDCTL_API", "3");
    try {
      Process p = pb.start();
      if (!p.waitFor(15, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
        return new Result(-1, "etcdctl " + String.join(" ", args) + ": no answer within 15 s");
      }
      return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, "interrupted");
    }
  }

  /**
   * The rows of a {@code -w table} output, each a list of its cells (header row excluded).
   */
  static List<List<String>> tableRows(String table) {
    List<List<String>> rows = new ArrayList<>();
    boolean header = true;
    for (String line : table.split("\n")) {
      if (!line.startsWith("|")) {
        continue;
      }
      if (header) {
        header = false;
        continue;
      }
      List<String> cells = new ArrayList<>();
      String[] parts = line.split("\\|");
      for (int i = 1; i < parts.length; i++) {
        cells.add(parts[i].trim());
      }
      rows.add(cells);
    }
    return rows;
  }
}
