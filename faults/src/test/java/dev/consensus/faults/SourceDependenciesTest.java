package dev.consensus.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The history model and the checkers stay on the JDK alone, so a history can be re-checked
 * anywhere with CheckHistory; gRPC and the etcd stubs belong to the harness package only.
 */
class SourceDependenciesTest {

    private static final Path MAIN = Path.of("src/main/java/dev/consensus/faults");

    @Test
    void checkersAndHistoryImportOnlyTheJdkAndEachOther() throws IOException {
        List<String> offending = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        files.add(MAIN.resolve("CheckHistory.java"));
        for (String pkg : List.of("check", "history")) {
            try (Stream<Path> s = Files.walk(MAIN.resolve(pkg))) {
                s.filter(p -> p.toString().endsWith(".java")).forEach(files::add);
            }
        }
        for (Path f : files) {
            for (String line : Files.readAllLines(f)) {
                String l = line.strip();
                if (l.startsWith("import ")) {
                    String name = l.substring(l.startsWith("import static ") ? 14 : 7);
                    if (!(name.startsWith("java.") || name.startsWith("dev.consensus.faults.check.")
                            || name.startsWith("dev.consensus.faults.history."))) {
                        offending.add(f + ": " + l);
                    }
                }
            }
        }
        assertThat(files).hasSizeGreaterThan(10);
        assertThat(offending).as("imports outside the JDK in the checkers and the history model").isEmpty();
    }
}
