package dev.consensus.faults.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryFileTest {

    @TempDir
    Path dir;

    /** One entry of every kind and every call and outcome, with awkward strings. */
    static History everyKind() {
        return new History(List.of(
                new Operation(1, "c1", new Call.Write("k \"1\"", "line\nbreak\t\u0001", 7), 10, 20, Outcome.Ok.written(5)),
                new Operation(2, "c2", new Call.Read("k", Call.ReadMode.SERIALIZABLE), 11, 21, Outcome.Ok.read(null, 0, 5)),
                new Operation(3, "c3", new Call.Cas("k", null, "v"), 12, 22, Outcome.Ok.cas(false, 5)),
                new Operation(4, "c4", new Call.Delete("k"), 13, 23, new Outcome.Fail("etcdserver: no leader")),
                new Operation(5, "c5", new Call.LeaseGrant(0, 5), 14, 24, Outcome.Ok.granted(99, 5, 6)),
                new Operation(6, "c6", new Call.LeaseKeepAlive(99), 15, 25, Outcome.Ok.keptAlive(5, 6)),
                new Operation(7, "c7", new Call.LeaseRevoke(99), 16, 26, new Outcome.Indeterminate("deadline exceeded")),
                new Operation(8, "c8", new Call.Read("k", Call.ReadMode.FINAL), 17, 27, Outcome.Ok.read("ü", 5, 6)),
                new Fault("partition", "m1 | m2 m3", 18, "one-way"),
                new WatchStart("w", "k", true, 2, 19),
                new WatchEvent("w", "k", 5, WatchEvent.Type.PUT, "v", 30),
                new WatchEvent("w", "k", 6, WatchEvent.Type.DELETE, null, 31),
                new WatchProgress("w", 6, 32)));
    }

    @Test
    void everyEntryRoundTrips() throws IOException {
        Path file = dir.resolve("history.jsonl");
        HistoryFile.write(file, everyKind());
        assertThat(Files.readAllLines(file)).hasSize(13);
        assertThat(HistoryFile.read(file)).isEqualTo(everyKind());
    }

    @Test
    void recorderHistoryRoundTripsAndClosesPendingOperationsAsIndeterminate() throws IOException {
        HistoryRecorder rec = new HistoryRecorder();
        rec.invoke("c1", new Call.Write("k", "v")).ok(Outcome.Ok.written(2));
        rec.fault("kill", "m2", "");
        rec.invoke("c2", new Call.Read("k"));
        History h = rec.history();
        assertThat(h.operations()).hasSize(2);
        assertThat(h.operations().get(1).outcome()).isInstanceOf(Outcome.Indeterminate.class);
        Path file = dir.resolve("h.jsonl");
        HistoryFile.write(file, h);
        assertThat(HistoryFile.read(file)).isEqualTo(h);
    }

    @Test
    void badLineFailsWithItsLineNumber() throws IOException {
        Path file = dir.resolve("bad.jsonl");
        Files.writeString(file, HistoryFile.toLine(everyKind().entries().get(0)) + "\n"
                + "{\"type\":\"op\",\"id\":2,\"process\":\"c\",\"call\":{\"kind\":\"read\",\"key\":\"k\",\"mode\":\"LINEARIZABLE\"},"
                + "\"callNanos\":5,\"returnNanos\":\"late\",\"outcome\":{\"status\":\"ok\"}}\n");
        assertThatThrownBy(() -> HistoryFile.read(file)).isInstanceOf(IOException.class)
                .hasMessageContaining("bad.jsonl:2: field \"returnNanos\" must be an integer");
    }

    @Test
    void unknownKindsAndBrokenJsonAreNamed() {
        assertThatThrownBy(() -> HistoryFile.fromLine("{\"type\":\"nap\"}")).hasMessage("unknown entry type \"nap\"");
        assertThatThrownBy(() -> HistoryFile.fromLine("{\"type\":")).hasMessageContaining("unexpected end of input");
        assertThatThrownBy(() -> HistoryFile.fromLine("[1]")).hasMessage("a history line is a JSON object");
    }
}
