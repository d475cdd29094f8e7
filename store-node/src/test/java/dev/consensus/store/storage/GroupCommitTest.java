package dev.consensus.store.storage;

import static dev.consensus.store.storage.WalFiles.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.consensus.store.raft.Entry;
import dev.consensus.store.raft.HardState;
import dev.consensus.store.storage.WalRecord.EntryRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Group commit: appends from many threads share fsyncs, each completes only once durable, and
 * a failed write or fsync fails every waiter and every later append.
 */
class GroupCommitTest {

    private static final WalConfig CONFIG = new WalConfig(64 * 1024, 4096, 5);

    private final FaultInjectingFileLayer files = new FaultInjectingFileLayer();
    private final ExecutorService threads = Executors.newFixedThreadPool(16);
    private Path walDir;
    private MemberDir memberDir;

    @BeforeEach
    void setUp(@TempDir Path tmp) {
        walDir = tmp.resolve("wal");
        memberDir = new MemberDir(tmp.resolve("member"));
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        files.releaseSegmentForces();
        threads.shutdownNow();
        assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }

    /** Thread t's n-th record: an entry whose index encodes both, so any order can be checked. */
    private static WalRecord record(int thread, int n) {
        return new EntryRecord(entry(thread * 1000L + n + 1, 1, 100));
    }

    /** Every record of every thread is on disk, and each thread's in the order it appended them. */
    private void assertEveryRecordOnDiskInEachThreadsOrder(int threadCount, int perThread) throws IOException {
        List<WalRecord> onDisk = recordsOnDisk();
        assertThat(onDisk).hasSize(threadCount * perThread);
        for (int t = 0; t < threadCount; t++) {
            int thread = t;
            List<WalRecord> ofThread = onDisk.stream()
                    .filter(r -> ((EntryRecord) r).entry().index() / 1000 == thread).toList();
            List<WalRecord> expected = new ArrayList<>();
            for (int n = 0; n < perThread; n++) {
                expected.add(record(thread, n));
            }
            assertThat(ofThread).as("thread %d", t).isEqualTo(expected);
        }
    }

    private List<WalRecord> recordsOnDisk() throws IOException {
        return WalReader.read(new RealFileLayer(), walDir).logRecords().stream()
                .filter(r -> r instanceof EntryRecord).toList();
    }

    @Test
    void appends_that_arrive_during_an_fsync_share_the_next_one() throws Exception {
        try (Wal wal = Wal.create(files, walDir, CONFIG, List.of())) {
            files.holdSegmentForces();
            CompletableFuture<Void> first = wal.appendAsync(List.of(record(0, 0)));
            files.awaitHeldForces(1);
            long forcesBefore = files.walForces();

            List<Future<CompletableFuture<Void>>> submitted = new ArrayList<>();
            for (int t = 1; t <= 8; t++) {
                for (int n = 0; n < 12; n++) {
                    int thread = t;
                    int number = n;
                    submitted.add(threads.submit(() -> wal.appendAsync(List.of(record(thread, number)))));
                }
            }
            List<CompletableFuture<Void>> rest = new ArrayList<>();
            for (Future<CompletableFuture<Void>> f : submitted) {
                rest.add(f.get(30, TimeUnit.SECONDS));
            }
            assertThat(first).as("not acknowledged before its fsync").isNotDone();
            assertThat(rest).as("none acknowledged before an fsync").noneMatch(CompletableFuture::isDone);

            files.releaseSegmentForces();
            first.join();
            rest.forEach(CompletableFuture::join);

            assertThat(files.walForces() - forcesBefore).as("97 appends, 2 fsyncs").isEqualTo(2);
        }
        assertThat(recordsOnDisk()).hasSize(97);
    }

    @Test
    void every_acknowledged_append_from_many_threads_is_there_after_reopening_in_each_threads_order()
            throws Exception {
        int threadCount = 16;
        int perThread = 60;
        try (Wal wal = Wal.create(files, walDir, new WalConfig(16 * 1024, 4096, 5), List.of())) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threadCount; t++) {
                int thread = t;
                done.add(threads.submit(() -> {
                    for (int n = 0; n < perThread; n++) {
                        wal.append(List.of(record(thread, n)));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
            assertThat(files.walForces()).as("at most one fsync per append").isLessThanOrEqualTo(threadCount * perThread);
        }
        assertEveryRecordOnDiskInEachThreadsOrder(threadCount, perThread);
        assertThat(WalFiles.segments(new MemberDir(walDir.getParent()))).hasSizeGreaterThan(3);
    }

    @Test
    void a_caller_that_would_only_wait_writes_the_queue_itself_on_its_own_thread() throws Exception {
        try (Wal wal = Wal.create(files, walDir, CONFIG, List.of())) {
            List<Thread> wroteOn = new ArrayList<>();
            CompletableFuture<Void> done = wal.queue(List.of(record(0, 0)), () -> wroteOn.add(Thread.currentThread()));
            wal.writeQueued();

            assertThat(done).isDone();
            assertThat(wroteOn).containsExactly(Thread.currentThread());
        }
        assertThat(recordsOnDisk()).containsExactly(record(0, 0));
    }

    @Test
    void appends_written_by_their_callers_and_by_the_writer_thread_keep_each_threads_order() throws Exception {
        int threadCount = 8;
        int perThread = 80;
        try (Wal wal = Wal.create(files, walDir, new WalConfig(16 * 1024, 4096, 5), List.of())) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threadCount; t++) {
                int thread = t;
                done.add(threads.submit(() -> {
                    List<CompletableFuture<Void>> async = new ArrayList<>();
                    for (int n = 0; n < perThread; n++) {
                        if (thread % 2 == 0) {
                            wal.append(List.of(record(thread, n)));
                        } else {
                            async.add(wal.appendAsync(List.of(record(thread, n))));
                        }
                    }
                    async.forEach(CompletableFuture::join);
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        }
        assertEveryRecordOnDiskInEachThreadsOrder(threadCount, perThread);
    }

    @Test
    void storage_writes_submitted_without_waiting_share_fsyncs_and_reads_show_only_durable_ones() throws Exception {
        try (WalStorage storage = WalStorage.createJoining(memberDir, CONFIG, files)) {
            files.holdSegmentForces();
            List<CompletableFuture<Void>> pending = new ArrayList<>();
            pending.add(storage.saveAsync(new HardState(1, 0, 0), List.of(entry(1, 1, 10))));
            files.awaitHeldForces(1);
            long forcesBefore = files.walForces();
            for (long i = 2; i <= 50; i++) {
                pending.add(storage.saveAsync(new HardState(1, 0, i - 1), List.of(entry(i, 1, 10))));
            }

            assertThat(storage.lastIndex()).as("nothing is visible before it is durable").isZero();
            assertThat(storage.hardState()).isEqualTo(HardState.EMPTY);

            files.releaseSegmentForces();
            pending.forEach(CompletableFuture::join);
            assertThat(storage.lastIndex()).isEqualTo(50);
            assertThat(storage.hardState()).isEqualTo(new HardState(1, 0, 49));
            assertThat(files.walForces() - forcesBefore).isEqualTo(2);
        }
        try (WalStorage storage = WalStorage.open(memberDir, CONFIG, files)) {
            assertThat(storage.lastIndex()).isEqualTo(50);
        }
    }

    @Test
    void a_failed_fsync_fails_every_waiter_and_every_later_append() throws Exception {
        try (Wal wal = Wal.create(files, walDir, CONFIG, List.of())) {
            wal.append(List.of(record(0, 0)));
            files.holdSegmentForces();
            files.failNextSegmentForces(1);
            CompletableFuture<Void> failing = wal.appendAsync(List.of(record(0, 1)));
            files.awaitHeldForces(1);
            CompletableFuture<Void> queued = wal.appendAsync(List.of(record(0, 2)));
            files.releaseSegmentForces();

            assertThatThrownBy(failing::join).isInstanceOf(CompletionException.class)
                    .cause().isInstanceOf(IOException.class).hasMessageContaining("injected fsync failure");
            assertThatThrownBy(queued::join).cause().hasMessageContaining("injected fsync failure");
            assertThatThrownBy(() -> wal.append(List.of(record(0, 3)))).isInstanceOf(IOException.class)
                    .hasMessageContaining("refusing to append after an earlier write or fsync failure")
                    .cause().hasMessageContaining("injected fsync failure");
            assertThat(files.walForces()).as("no fsync was retried").isEqualTo(1);
        }
    }

    @Test
    void after_a_failed_fsync_the_storage_refuses_writes_but_still_serves_what_was_durable() throws Exception {
        try (WalStorage storage = WalStorage.createJoining(memberDir, CONFIG, files)) {
            storage.append(List.of(entry(1, 1, 10)));
            files.failNextSegmentForces(1);

            assertThatThrownBy(() -> storage.append(List.of(entry(2, 1, 10)))).isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("injected fsync failure");
            assertThatThrownBy(() -> storage.setHardState(new HardState(2, 0, 1)))
                    .isInstanceOf(UncheckedIOException.class).hasMessageContaining("refusing to append");
            assertThat(storage.lastIndex()).isEqualTo(1);
            assertThat(storage.entries(1, 2, Long.MAX_VALUE)).containsExactly(entry(1, 1, 10));
        }
    }

    @Test
    void a_failed_write_fails_the_append_and_every_later_one() throws Exception {
        try (Wal wal = Wal.create(files, walDir, CONFIG, List.of())) {
            files.crashAtOperation(1);

            assertThatThrownBy(() -> wal.append(List.of(record(0, 0)))).isInstanceOf(IOException.class)
                    .hasMessageContaining("simulated crash");
            assertThatThrownBy(() -> wal.append(List.of(record(0, 1)))).hasMessageContaining("refusing to append");
        }
    }

    @Test
    void close_writes_what_was_submitted_and_later_appends_fail() throws Exception {
        Wal wal = Wal.create(files, walDir, CONFIG, List.of());
        List<CompletableFuture<Void>> submitted = new ArrayList<>();
        for (int n = 0; n < 20; n++) {
            submitted.add(wal.appendAsync(List.of(record(0, n))));
        }
        wal.close();

        submitted.forEach(CompletableFuture::join);
        assertThatThrownBy(() -> wal.append(List.of(record(0, 20)))).isInstanceOf(IOException.class)
                .hasMessageContaining("wal: closed");
        assertThat(recordsOnDisk()).hasSize(20);
    }

    @Test
    void an_empty_append_waits_for_everything_before_it_without_an_fsync_of_its_own() throws Exception {
        try (Wal wal = Wal.create(files, walDir, CONFIG, List.of())) {
            wal.append(List.of(record(0, 0)));
            long forces = files.walForces();

            wal.append(List.of());

            assertThat(files.walForces()).isEqualTo(forces);
        }
    }

    @Test
    void entries_of_one_call_are_never_split_by_the_batching_of_others() throws Exception {
        try (Wal wal = Wal.create(files, walDir, new WalConfig(16 * 1024, 4096, 5), List.of())) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                done.add(threads.submit(() -> {
                    for (int n = 0; n < 20; n += 4) {
                        List<WalRecord> four = new ArrayList<>();
                        for (int k = 0; k < 4; k++) {
                            four.add(record(thread, n + k));
                        }
                        wal.append(four);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        }
        List<WalRecord> onDisk = recordsOnDisk();
        for (int i = 0; i < onDisk.size(); i += 4) {
            Entry first = ((EntryRecord) onDisk.get(i)).entry();
            for (int k = 1; k < 4; k++) {
                assertThat(((EntryRecord) onDisk.get(i + k)).entry().index()).isEqualTo(first.index() + k);
            }
        }
    }
}
