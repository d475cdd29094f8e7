package dev.consensus.faults.history;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A history as JSON lines: one entry per line, so a run that dies half way still leaves a file
 * that reads up to its last complete line, and {@code grep} works on it. The field names are
 * those of the records; see docs/reliability.md for an example of each line.
 */
public final class HistoryFile {

    private HistoryFile() {
    }

    public static void write(Path file, History history) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (Entry e : history.entries()) {
                w.write(toLine(e));
                w.newLine();
            }
        }
    }

    /** Reads a history file; a line that does not parse fails with its line number. */
    public static History read(Path file) throws IOException {
        List<Entry> entries = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    entries.add(fromLine(line));
                } catch (RuntimeException e) {
                    throw new IOException(file + ":" + n + ": " + e.getMessage(), e);
                }
            }
        }
        return new History(entries);
    }

    public static String toLine(Entry entry) {
        return Json.write(EntryCodec.encode(entry));
    }

    public static Entry fromLine(String line) {
        if (!(Json.parse(line) instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("a history line is a JSON object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = (Map<String, Object>) m;
        return EntryCodec.decode(new LinkedHashMap<>(fields));
    }
}
