package dev.consensus.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.consensus.faults.history.Call;
import dev.consensus.faults.history.History;
import dev.consensus.faults.history.HistoryFile;
import dev.consensus.faults.history.Operation;
import dev.consensus.faults.history.Outcome;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckHistoryTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return CheckHistory.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private Path file(String lastRead) throws IOException {
        Path f = dir.resolve("h.jsonl");
        HistoryFile.write(f, new History(List.of(
                new Operation(1, "c1", new Call.Write("x", "1"), 0, 10, Outcome.Ok.written(2)),
                new Operation(2, "c2", new Call.Read("x"), 20, 30, Outcome.Ok.read(lastRead, 2, 2)))));
        return f;
    }

    @Test
    void goodHistoryExitsZero() throws IOException {
        assertThat(run(file("1").toString())).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("linearizability: OK (1 checked)", "verdict: OK");
    }

    @Test
    void violationExitsOneWithTheReport() throws IOException {
        assertThat(run(file(null).toString())).isEqualTo(CheckHistory.VIOLATION);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("key \"x\": not linearizable", "verdict: VIOLATION");
    }

    @Test
    void exhaustedBudgetExitsTwo() throws IOException {
        assertThat(run(file(null).toString(), "--max-steps", "1")).isEqualTo(CheckHistory.UNKNOWN);
    }

    @Test
    void badInputAndUsageAreSaidClearly() throws IOException {
        assertThat(run()).isEqualTo(CheckHistory.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no history file given", "usage:");
        assertThat(run("h.jsonl", "--max-steps", "lots")).isEqualTo(CheckHistory.USAGE);
        assertThat(run(dir.resolve("missing.jsonl").toString())).isEqualTo(CheckHistory.BAD_INPUT);
        Path bad = Files.writeString(dir.resolve("bad.jsonl"), "not json\n");
        assertThat(run(bad.toString())).isEqualTo(CheckHistory.BAD_INPUT);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("bad.jsonl:1: unexpected character 'n'");
    }
}
