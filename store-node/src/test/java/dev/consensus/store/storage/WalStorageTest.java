package dev.consensus.store.storage;

import static dev.consensus.store.storage.WalFiles.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.consensus.store.raft.ConfState;
import dev.consensus.store.raft.Entry;
import dev.consensus.store.raft.HardState;
import dev.consensus.store.raft.LogCompactedException;
import dev.consensus.store.raft.MemoryStorage;
import dev.consensus.store.raft.Snapshot;
import dev.consensus.store.raft.SnapshotMetadata;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The durable log across restarts: what survives, how overwrites and snapshots replay, what
 * compaction deletes, and how damaged snapshot files are handled.
 */
class WalStorageTest {

    private static final WalConfig CONFIG = new WalConfig(16 * 1024, 4096, 2);
    private static final ConfState MEMBERS = ConfState.ofVoters(1L, 2L, 3L);

    private final RealFileLayer files = new RealFileLayer();
    private MemberDir dir;

    @BeforeEach
    void setUp(@TempDir Path tmp) {
        dir = MemberDir.inDataDir(tmp);
    }

    private WalStorage open() throws IOException {
        return WalStorage.open(dir, CONFIG, files);
    }

    private static List<Entry> entries(long from, long to, long term, int bytes) {
        List<Entry> out = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            out.add(entry(i, term, bytes));
        }
        return out;
    }

    private static List<Entry> all(WalStorage storage) {
        return storage.entries(storage.firstIndex(), storage.lastIndex() + 1, Long.MAX_VALUE);
    }

    private List<Path> snapFiles() throws IOException {
        try (Stream<Path> list = Files.list(dir.snap())) {
            return list.sorted().toList();
        }
    }

    @Test
    void a_new_member_restarts_with_its_bootstrap_entries_and_hard_state() throws IOException {
        WalStorage.createMember(dir, MEMBERS, CONFIG, files).close();

        assertThat(WalStorage.exists(dir, files)).isTrue();
        MemoryStorage expected = MemoryStorage.bootstrap(MEMBERS);
        try (WalStorage storage = open()) {
            assertThat(storage.hardState()).isEqualTo(expected.hardState());
            assertThat(all(storage)).isEqualTo(expected.entries(1, 4, Long.MAX_VALUE));
            assertThat(storage.recoveryReport().tailRepair()).isEmpty();
        }
    }

    @Test
    void a_joining_member_restarts_empty() throws IOException {
        WalStorage.createJoining(dir, CONFIG, files).close();

        try (WalStorage storage = open()) {
            assertThat(storage.lastIndex()).isZero();
            assertThat(storage.firstIndex()).isEqualTo(1);
            assertThat(storage.hardState()).isEqualTo(HardState.EMPTY);
            assertThat(storage.snapshot().isEmpty()).isTrue();
        }
    }

    @Test
    void creating_over_an_existing_log_is_refused() throws IOException {
        WalStorage.createJoining(dir, CONFIG, files).close();

        assertThatThrownBy(() -> WalStorage.createMember(dir, MEMBERS, CONFIG, files))
                .isInstanceOf(FileAlreadyExistsException.class).hasMessageContaining("a log already exists");
    }

    @Test
    void entries_and_hard_state_survive_a_restart_across_many_segments() throws IOException {
        try (WalStorage storage = WalStorage.createJoining(dir, CONFIG, files)) {
            for (long i = 1; i <= 200; i += 4) {
                storage.save(new HardState(1, 2, i), entries(i, i + 3, 1, 500));
            }
        }
        assertThat(WalFiles.segments(dir)).hasSizeGreaterThan(5);

        try (WalStorage storage = open()) {
            assertThat(all(storage)).isEqualTo(entries(1, 200, 1, 500));
            assertThat(storage.hardState()).isEqualTo(new HardState(1, 2, 197));
        }
    }

    @Test
    void an_overwritten_suffix_stays_overwritten_after_a_restart_even_across_segment_boundaries() throws IOException {
        try (WalStorage storage = WalStorage.createJoining(dir, CONFIG, files)) {
            storage.append(entries(1, 100, 1, 600));
            int segmentsBefore = WalFiles.segments(dir).size();
            storage.append(entries(20, 60, 2, 600));
            assertThat(WalFiles.segments(dir).size()).as("the overwrite is appended").isGreaterThan(segmentsBefore);
            storage.append(entries(61, 70, 2, 600));
            storage.append(entries(65, 66, 3, 600));
        }
        List<Entry> expected = new ArrayList<>(entries(1, 19, 1, 600));
        expected.addAll(entries(20, 64, 2, 600));
        expected.addAll(entries(65, 66, 3, 600));

        try (WalStorage storage = open()) {
            assertThat(all(storage)).isEqualTo(expected);
            storage.append(entries(67, 67, 3, 10));
        }
        expected.add(entry(67, 3, 10));
        try (WalStorage storage = open()) {
            assertThat(all(storage)).isEqualTo(expected);
        }
    }

    @Test
    void compaction_deletes_the_segments_whose_entries_the_snapshot_covers_and_keeps_the_rest() throws IOException {
        try (WalStorage storage = WalStorage.createMember(dir, MEMBERS, CONFIG, files)) {
            storage.save(new HardState(2, 1, 3), entries(4, 150, 2, 400));
            List<Path> before = WalFiles.segments(dir);
            storage.createSnapshot(100, MEMBERS, new byte[] {1});
            storage.save(new HardState(2, 1, 150), List.of());

            storage.compact(100);

            List<Path> after = WalFiles.segments(dir);
            assertThat(after).hasSizeLessThan(before.size()).contains(before.getLast());
            assertThat(after.getFirst()).isNotEqualTo(before.getFirst());
            assertThat(storage.firstIndex()).isEqualTo(101);
        }
        try (WalStorage storage = open()) {
            assertThat(storage.snapshot().metadata()).isEqualTo(new SnapshotMetadata(100, 2, MEMBERS));
            assertThat(storage.snapshot().data()).containsExactly(1);
            assertThat(all(storage)).isEqualTo(entries(101, 150, 2, 400));
            assertThat(storage.hardState()).as("the latest hard state survives purging").isEqualTo(new HardState(2, 1, 150));
        }
    }

    @Test
    void the_active_segment_is_never_purged() throws IOException {
        try (WalStorage storage = WalStorage.createJoining(dir, CONFIG, files)) {
            storage.append(entries(1, 5, 1, 10));
            storage.createSnapshot(5, MEMBERS, new byte[0]);
            storage.compact(5);
            assertThat(WalFiles.segments(dir)).hasSize(1);
        }
        try (WalStorage storage = open()) {
            assertThat(storage.firstIndex()).isEqualTo(6);
            assertThat(storage.lastIndex()).isEqualTo(5);
            assertThat(storage.term(5)).isEqualTo(1);
        }
    }

    @Test
    void after_a_restart_the_log_begins_right_after_the_snapshot() throws IOException {
        try (WalStorage storage = WalStorage.createJoining(dir, CONFIG, files)) {
            storage.append(entries(1, 10, 1, 10));
            storage.createSnapshot(6, MEMBERS, new byte[0]);
            assertThat(storage.firstIndex()).as("until compaction, entries stay").isEqualTo(1);
        }
        try (WalStorage storage = open()) {
            assertThat(storage.firstIndex()).isEqualTo(7);
            assertThat(storage.term(6)).isEqualTo(1);
            assertThatThrownBy(() -> storage.term(5)).isInstanceOf(LogCompactedException.class);
            assertThat(all(storage)).isEqualTo(entries(7, 10, 1, 10));
        }
    }

    @Test
    void an_installed_snapshot_replaces_the_log_and_stays_so_after_a_restart() throws IOException {
        Snapshot incoming = new Snapshot(new SnapshotMetadata(50, 4, MEMBERS), new byte[] {5, 5});
        try (WalStorage storage = WalStorage.createJoining(dir, CONFIG, files)) {
            storage.append(entries(1, 80, 1, 200));
            storage.applySnapshot(incoming);
            storage.append(entries(51, 52, 4, 10));
        }
        try (WalStorage storage = open()) {
            assertThat(storage.snapshot().metadata()).isEqualTo(incoming.metadata());
            assertThat(storage.snapshot().data()).containsExactly(5, 5);
            assertThat(all(storage)).as("entries 53..80 of the old log do not come back").isEqualTo(entries(51, 52, 4, 10));
        }
    }

    @Test
    void an_installed_snapshot_at_the_end_of_the_log_keeps_no_stale_entries() throws IOException {
        Snapshot incoming = new Snapshot(new SnapshotMetadata(30, 2, MEMBERS), new byte[0]);
        try (WalStorage storage = WalStorage.createJoining(dir, CONFIG, files)) {
            storage.append(entries(1, 40, 1, 10));
            storage.applySnapshot(incoming);
        }
        try (WalStorage storage = open()) {
            assertThat(storage.lastIndex()).isEqualTo(30);
            assertThat(storage.term(30)).isEqualTo(2);
        }
    }

    /** Found by WalCrashTest seed 147: recovery took the older of two snapshots at one index. */
    @Test
    void of_two_snapshots_installed_at_the_same_index_the_later_one_is_restarted_from() throws IOException {
        try (WalStorage storage = WalStorage.createJoining(dir, CONFIG, files)) {
            storage.applySnapshot(new Snapshot(new SnapshotMetadata(59, 8, MEMBERS), new byte[] {8}));
            storage.applySnapshot(new Snapshot(new SnapshotMetadata(59, 9, MEMBERS), new byte[] {9}));
        }
        try (WalStorage storage = open()) {
            assertThat(storage.snapshot().metadata()).isEqualTo(new SnapshotMetadata(59, 9, MEMBERS));
            assertThat(storage.snapshot().data()).containsExactly(9);
        }
    }

    @Test
    void a_damaged_snapshot_is_never_replaced_by_another_one_at_the_same_index() throws IOException {
        try (WalStorage storage = WalStorage.createJoining(dir, CONFIG, files)) {
            storage.applySnapshot(new Snapshot(new SnapshotMetadata(59, 8, MEMBERS), new byte[] {8}));
            storage.applySnapshot(new Snapshot(new SnapshotMetadata(59, 9, MEMBERS), new byte[] {9}));
        }
        WalFiles.flipBit(dir.snap().resolve("0000000000000009-000000000000003b.snap"), 20, 1);

        assertThatThrownBy(this::open).isInstanceOf(StorageCorruptionException.class)
                .hasMessageContaining("0000000000000009-000000000000003b.snap")
                .hasMessageContaining("cannot replace it");
    }

    @Test
    void only_the_configured_number_of_snapshot_files_is_kept() throws IOException {
        try (WalStorage storage = WalStorage.createJoining(dir, CONFIG, files)) {
            storage.append(entries(1, 10, 1, 10));
            for (long i = 2; i <= 8; i += 2) {
                storage.createSnapshot(i, MEMBERS, new byte[] {(byte) i});
            }
        }
        assertThat(snapFiles()).extracting(p -> p.getFileName().toString())
                .containsExactly("0000000000000001-0000000000000006.snap", "0000000000000001-0000000000000008.snap");
    }

    @Test
    void a_damaged_newest_snapshot_is_passed_over_when_the_log_after_an_older_one_is_complete() throws IOException {
        try (WalStorage storage = WalStorage.createJoining(dir, CONFIG, files)) {
            storage.append(entries(1, 20, 1, 10));
            storage.createSnapshot(5, MEMBERS, new byte[] {5});
            storage.createSnapshot(10, MEMBERS, new byte[] {10});
        }
        Path newest = dir.snap().resolve("0000000000000001-000000000000000a.snap");
        WalFiles.flipBit(newest, 12, 0);

        try (WalStorage storage = open()) {
            assertThat(storage.snapshot().index()).isEqualTo(5);
            assertThat(storage.snapshot().data()).containsExactly(5);
            assertThat(all(storage)).isEqualTo(entries(6, 20, 1, 10));
            assertThat(storage.recoveryReport().skippedSnapshots()).containsExactly(newest);
        }
        assertThat(newest).doesNotExist();
        assertThat(newest.resolveSibling(newest.getFileName() + ".broken")).exists();
    }

    @Test
    void a_damaged_newest_snapshot_refuses_the_start_when_the_log_after_the_older_one_is_gone() throws IOException {
        try (WalStorage storage = WalStorage.createJoining(dir, CONFIG, files)) {
            storage.append(entries(1, 60, 1, 1000));
            storage.createSnapshot(5, MEMBERS, new byte[] {5});
            storage.createSnapshot(50, MEMBERS, new byte[] {50});
            storage.compact(50);
        }
        Path newest = dir.snap().resolve("0000000000000001-0000000000000032.snap");
        WalFiles.flipBit(newest, 30, 4);

        assertThatThrownBy(this::open).isInstanceOf(StorageCorruptionException.class)
                .hasMessageContaining(newest.toString())
                .hasMessageContaining("checksum does not match")
                .hasMessageContaining("0000000000000001-0000000000000005.snap cannot replace it")
                .hasMessageContaining("nothing was changed on disk");
        assertThat(newest).exists();
    }

    @Test
    void a_missing_snapshot_file_that_the_log_needs_refuses_the_start() throws IOException {
        try (WalStorage storage = WalStorage.createJoining(dir, CONFIG, files)) {
            storage.applySnapshot(new Snapshot(new SnapshotMetadata(40, 3, MEMBERS), new byte[0]));
        }
        Files.delete(dir.snap().resolve("0000000000000003-0000000000000028.snap"));

        assertThatThrownBy(this::open).isInstanceOf(StorageCorruptionException.class)
                .hasMessageContaining("it is missing");
    }

    @Test
    void a_snapshot_file_no_marker_names_is_deleted_at_start() throws IOException {
        try (WalStorage storage = WalStorage.createJoining(dir, CONFIG, files)) {
            storage.append(entries(1, 10, 1, 10));
            storage.createSnapshot(4, MEMBERS, new byte[] {4});
        }
        SnapshotStore store = new SnapshotStore(files, dir.snap());
        store.save(new Snapshot(new SnapshotMetadata(9, 1, MEMBERS), new byte[] {9}));

        try (WalStorage storage = open()) {
            assertThat(storage.snapshot().index()).isEqualTo(4);
        }
        assertThat(snapFiles()).extracting(p -> p.getFileName().toString())
                .containsExactly("0000000000000001-0000000000000004.snap");
    }

    @Test
    void a_snapshot_file_holds_its_metadata_and_data_under_a_checksum() throws IOException {
        SnapshotStore store = new SnapshotStore(files, Files.createDirectories(dir.snap()));
        Snapshot snapshot = new Snapshot(new SnapshotMetadata(7, 3, new ConfState(Set.of(1L, 2L), Set.of(3L))),
                new byte[] {1, 2, 3});
        store.save(snapshot);
        SnapshotFile name = SnapshotFile.of(snapshot);

        Snapshot loaded = store.load(name);
        assertThat(loaded.metadata()).isEqualTo(snapshot.metadata());
        assertThat(loaded.data()).containsExactly(1, 2, 3);
        byte[] bytes = Files.readAllBytes(store.path(name));
        for (int i = 0; i < bytes.length; i++) {
            byte[] flipped = bytes.clone();
            flipped[i] ^= 0x10;
            assertThatThrownBy(() -> name.decode(flipped)).as("byte %d", i).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void an_entry_larger_than_the_limit_is_refused_in_etcds_words_and_nothing_is_written() throws IOException {
        try (WalStorage storage = WalStorage.createJoining(dir, CONFIG, files)) {
            storage.append(List.of(entry(1, 1, 10)));
            int tooBig = CONFIG.maxRecordBytes() - RecordCodec.ENTRY_OVERHEAD + 1;

            assertThatThrownBy(() -> storage.save(new HardState(1, 0, 1), List.of(entry(2, 1, 1), entry(3, 1, tooBig))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("wal: max entry size limit exceeded: entry 3 needs " + (tooBig + 17) + " bytes");
            storage.append(List.of(entry(2, 1, tooBig - 1)));
        }
        try (WalStorage storage = open()) {
            assertThat(storage.lastIndex()).isEqualTo(2);
            assertThat(storage.hardState()).isEqualTo(HardState.EMPTY);
        }
    }

    @Test
    void appends_that_leave_a_gap_or_skip_an_index_are_refused() throws IOException {
        try (WalStorage storage = WalStorage.createJoining(dir, CONFIG, files)) {
            storage.append(entries(1, 3, 1, 1));

            assertThatThrownBy(() -> storage.append(List.of(entry(5, 1, 1)))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("leaves a gap");
            assertThatThrownBy(() -> storage.append(List.of(entry(4, 1, 1), entry(6, 1, 1))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("non-consecutive");
        }
    }

    @Test
    void configuration_limits_are_checked_with_a_message_naming_them() {
        assertThatThrownBy(() -> new WalConfig(1000, 64, 5)).hasMessageContaining("segment size must be between");
        assertThatThrownBy(() -> new WalConfig(8192, 8192, 5)).hasMessageContaining("cannot hold a record of 8192 bytes");
        assertThatThrownBy(() -> new WalConfig(8192, 1024, 0)).hasMessageContaining("snapshots to keep");
        assertThat(WalConfig.defaults()).isEqualTo(new WalConfig(64_000_000, 10 * 1024 * 1024, 5));
    }
}
