package dev.consensus.bench.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** Reads a process's resident set size the way {@code ps} does, from {@code /proc/PID/status}. */
final class ProcStatus {

    private ProcStatus() {
    }

    static OptionalLong vmRssKib(long pid) {
        try {
            return parseVmRss(Files.readString(Path.of("/proc", Long.toString(pid), "status"), StandardCharsets.UTF_8));
        } catch (IOException e) {
            // The process exited between the check and the read, or this is not Linux.
            return OptionalLong.empty();
        }
    }

    /** The {@code VmRSS:   12345 kB} line's number; empty when absent (a zombie has none). */
    static OptionalLong parseVmRss(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("VmRSS:")) {
                String[] words = line.substring("VmRSS:".length()).trim().split("\\s+");
                return OptionalLong.of(Long.parseLong(words[0]));
            }
        }
        return OptionalLong.empty();
    }
}
