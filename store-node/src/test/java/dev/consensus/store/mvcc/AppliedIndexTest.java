package dev.consensus.store.mvcc;

import static dev.consensus.store.mvcc.MvccFixture.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.consensus.api.etcdserverpb.PutRequest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.WriteBatch;

/** The applied index is written with the data it applied: restarts neither repeat nor skip an entry. */
class AppliedIndexTest {

    @TempDir
    Path dir;

    @Test
    void after_a_restart_the_applied_index_revision_and_data_are_as_left() {
        try (MvccFixture kv = MvccFixture.open(dir)) {
            kv.put("a", "1");
            kv.put("b", "2");
            kv.store().markApplied(kv.next());
            kv.store().applyMembership(kv.next(), new byte[] {1, 2, 3});
            kv.reopen();

            assertThat(kv.store().appliedIndex()).isEqualTo(4);
            assertThat(kv.store().appliedTerm()).isEqualTo(1);
            assertThat(kv.store().currentRevision()).isEqualTo(3);
            assertThat(kv.store().membership()).containsExactly(1, 2, 3);
            assertThat(kv.value("a")).isEqualTo("1");
            assertThat(kv.value("b")).isEqualTo("2");
        }
    }

    @Test
    void applying_an_index_already_applied_changes_nothing_and_says_so() {
        try (MvccFixture kv = MvccFixture.open(dir)) {
            kv.put("a", "1");
            kv.put("a", "2");
            PutRequest replay = PutRequest.newBuilder().setKey(bytes("a")).setValue(bytes("replayed")).build();

            assertThatThrownBy(() -> kv.store().put(new RaftPosition(2, 1), replay))
                    .isInstanceOfSatisfying(AlreadyAppliedException.class, e -> {
                        assertThat(e.appliedIndex()).isEqualTo(2);
                        assertThat(e.offeredIndex()).isEqualTo(2);
                    });
            assertThatThrownBy(() -> kv.store().put(new RaftPosition(1, 1), replay))
                    .isInstanceOf(AlreadyAppliedException.class);
            assertThat(kv.value("a")).isEqualTo("2");
            assertThat(kv.store().currentRevision()).isEqualTo(3);
            assertThat(kv.store().appliedIndex()).isEqualTo(2);
        }
    }

    @Test
    void a_refused_entry_is_still_applied_and_stays_applied_after_a_restart() {
        try (MvccFixture kv = MvccFixture.open(dir)) {
            kv.put("a", "1");
            MvccFixture.etcdError(() -> kv.put(PutRequest.newBuilder().setKey(bytes("b")).setLease(5)));
            kv.reopen();
            assertThat(kv.store().appliedIndex()).isEqualTo(2);
            assertThat(kv.store().currentRevision()).isEqualTo(2);
        }
    }

    @Test
    void an_index_may_skip_ahead_but_never_go_back() {
        try (MvccFixture kv = MvccFixture.open(dir)) {
            kv.store().markApplied(new RaftPosition(10, 2));
            assertThat(kv.store().appliedIndex()).isEqualTo(10);
            assertThat(kv.store().appliedTerm()).isEqualTo(2);
            assertThatThrownBy(() -> kv.store().markApplied(new RaftPosition(9, 2)))
                    .isInstanceOf(AlreadyAppliedException.class);
        }
    }

    @Test
    void a_database_written_in_another_format_is_refused_at_open() throws Exception {
        try (MvccFixture kv = MvccFixture.open(dir)) {
            kv.put("a", "1");
        }
        try (RocksBackend backend = RocksBackend.open(dir); WriteBatch batch = new WriteBatch()) {
            batch.put(backend.meta(), StoreMeta.FORMAT, StoreMeta.encodeLong(2));
            backend.write(batch);
        }
        assertThatThrownBy(() -> MvccStore.open(dir, MvccConfig.defaults()))
                .isInstanceOf(MvccStorageException.class).hasMessageContaining("format 2");
    }

    @Test
    void a_process_killed_while_applying_leaves_data_and_applied_index_in_agreement() throws Exception {
        Path data = dir.resolve("data");
        Printed printed = runWriterAndKillIt(data, 350);

        try (MvccFixture kv = MvccFixture.open(data)) {
            long applied = kv.store().appliedIndex();
            assertThat(applied).as("everything flushed survives the kill (the rest is the server's to replay)")
                    .isGreaterThanOrEqualTo(printed.flushed())
                    .isLessThanOrEqualTo(printed.applied() + 1);
            assertThat(kv.store().currentRevision()).isEqualTo(applied + 1);
            for (long i = 1; i <= applied; i++) {
                assertThat(kv.value("k" + i)).as("k%d", i).isEqualTo("v" + i);
            }
            assertThat(kv.value("k" + (applied + 1))).isNull();

            // The server replays from applied + 1; an older entry is refused.
            assertThatThrownBy(() -> kv.store().put(new RaftPosition(applied, 1),
                    PutRequest.newBuilder().setKey(bytes("x")).build())).isInstanceOf(AlreadyAppliedException.class);
            kv.store().put(new RaftPosition(applied + 1, 1), PutRequest.newBuilder().setKey(bytes("k" + (applied + 1)))
                    .setValue(bytes("again")).build());
            assertThat(kv.store().currentRevision()).isEqualTo(applied + 2);
        }
    }

    /** The last index {@link CrashingWriter} said it applied, and the last it said it flushed. */
    private record Printed(long applied, long flushed) { }

    /** Starts {@link CrashingWriter}, waits until it has applied {@code atLeast} entries, SIGKILLs it. */
    private static Printed runWriterAndKillIt(Path data, long atLeast) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), CrashingWriter.class.getName(), data.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        LinkedBlockingQueue<String> printed = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    printed.add(line.trim());
                }
            } catch (Exception ignored) {
                // the process is gone
            }
        }, "crashing-writer-output");
        reader.setDaemon(true);
        reader.start();
        long applied = 0;
        long flushed = 0;
        try {
            while (applied < atLeast) {
                String next = printed.poll(60, TimeUnit.SECONDS);
                if (next == null) {
                    throw new AssertionError("the writer printed nothing for 60 s (alive: " + process.isAlive() + ")");
                }
                applied = next.startsWith("applied ") ? index(next) : applied;
                flushed = next.startsWith("flushed ") ? index(next) : flushed;
            }
        } finally {
            process.destroyForcibly();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the writer (pid %d) ended", process.pid()).isTrue();
        }
        reader.join(10_000);
        List<String> rest = new java.util.ArrayList<>();
        printed.drainTo(rest);
        for (String line : rest) {
            applied = line.startsWith("applied ") ? index(line) : applied;
            flushed = line.startsWith("flushed ") ? index(line) : flushed;
        }
        return new Printed(applied, flushed);
    }

    private static long index(String line) {
        return Long.parseLong(line.substring(line.indexOf(' ') + 1));
    }
}
