package dev.consensus.store.storage;

import static dev.consensus.store.storage.WalFiles.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.consensus.store.storage.WalFiles.FrameAt;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every branch of the recovery rule (docs/storage.md, "How recovery decides"): a torn tail is
 * cut; a damaged record, anywhere, stops the start with the file and offset, and nothing on
 * disk changes then.
 */
class WalRecoveryTest {

    private static final WalConfig CONFIG = new WalConfig(16 * 1024, 4096, 5);

    private final RealFileLayer files = new RealFileLayer();
    private MemberDir dir;

    @BeforeEach
    void setUp(@TempDir Path tmp) {
        dir = new MemberDir(tmp.resolve("member"));
    }

    /** A joining member's log with entries 1..count, one record each. */
    private void writeLog(int count, int entryBytes) throws IOException {
        try (WalStorage storage = WalStorage.createJoining(dir, CONFIG, files)) {
            for (int i = 1; i <= count; i++) {
                storage.append(List.of(entry(i, 1, entryBytes)));
            }
        }
    }

    private WalStorage open() throws IOException {
        return WalStorage.open(dir, CONFIG, files);
    }

    private Path onlySegment() throws IOException {
        List<Path> segments = WalFiles.segments(dir);
        assertThat(segments).hasSize(1);
        return segments.getFirst();
    }

    private static boolean allZero(byte[] data, int from, int to) {
        return Arrays.equals(data, from, to, new byte[to - from], 0, to - from);
    }

    /** Opening refuses with a message naming the file and offset, and changes no byte on disk. */
    private AbstractThrowableAssert<?, ? extends Throwable> assertRefuses(Path file, long offset) {
        Map<Path, byte[]> before = WalFiles.contents(dir.path());
        AbstractThrowableAssert<?, ? extends Throwable> refusal = assertThatThrownBy(this::open)
                .isInstanceOf(StorageCorruptionException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("at offset " + offset)
                .hasMessageContaining("nothing was changed on disk");
        Map<Path, byte[]> after = WalFiles.contents(dir.path());
        assertThat(after.keySet()).isEqualTo(before.keySet());
        before.forEach((path, bytes) -> assertThat(after.get(path)).as("%s is unchanged", path).isEqualTo(bytes));
        return refusal;
    }

    @Test
    void a_torn_last_record_is_cut_off_whatever_byte_the_write_stopped_at() throws IOException {
        writeLog(5, 20);
        Path segment = onlySegment();
        byte[] original = Files.readAllBytes(segment);
        FrameAt last = WalFiles.frames(original).getLast();

        for (int kept = 0; kept < last.end() - last.start(); kept++) {
            Files.write(segment, original);
            WalFiles.zero(segment, last.start() + kept, last.end());

            try (WalStorage storage = open()) {
                assertThat(storage.lastIndex()).as("kept %d bytes", kept).isEqualTo(4);
                storage.recoveryReport().tailRepair().ifPresent(repair -> {
                    assertThat(repair.offset()).isEqualTo(last.start());
                    assertThat(repair.kind()).isEqualTo(TailRepair.Kind.TORN_RECORD);
                });
                assertThat(allZero(Files.readAllBytes(segment), last.start(), last.end()))
                        .as("the torn bytes are overwritten with zeros").isTrue();
                storage.append(List.of(entry(5, 2, 20)));
            }
            try (WalStorage storage = open()) {
                assertThat(storage.recoveryReport().tailRepair()).isEmpty();
                assertThat(storage.entries(5, 6, Long.MAX_VALUE)).containsExactly(entry(5, 2, 20));
            }
        }
    }

    @Test
    void a_torn_record_is_reported_with_the_bytes_that_were_cut() throws IOException {
        writeLog(3, 100);
        Path segment = onlySegment();
        FrameAt last = WalFiles.frames(segment).getLast();
        WalFiles.zero(segment, last.start() + 40, last.end());

        try (WalStorage storage = open()) {
            TailRepair repair = storage.recoveryReport().tailRepair().orElseThrow();
            assertThat(repair).isEqualTo(new TailRepair(segment, last.start(), 40, TailRepair.Kind.TORN_RECORD));
            assertThat(storage.lastIndex()).isEqualTo(2);
        }
    }

    @Test
    void a_flipped_bit_in_a_record_with_intact_records_after_it_refuses_naming_both_offsets() throws IOException {
        writeLog(5, 20);
        Path segment = onlySegment();
        List<FrameAt> frames = WalFiles.frames(segment);
        FrameAt third = frames.get(frames.size() - 3);
        WalFiles.flipBit(segment, third.start() + 20, 3);

        assertRefuses(segment, third.start())
                .hasMessageContaining("an intact record follows at offset " + third.end());
    }

    @Test
    void a_flipped_bit_anywhere_in_the_last_complete_record_refuses() throws IOException {
        writeLog(5, 20);
        Path segment = onlySegment();
        byte[] original = Files.readAllBytes(segment);
        FrameAt last = WalFiles.frames(original).getLast();

        for (int at = last.start(); at < last.end(); at++) {
            Files.write(segment, original);
            WalFiles.flipBit(segment, at, at % 8);

            assertRefuses(segment, last.start());
        }
    }

    @Test
    void the_refusal_says_which_kind_of_damage_it_found() throws IOException {
        writeLog(5, 20);
        Path segment = onlySegment();
        byte[] original = Files.readAllBytes(segment);
        FrameAt last = WalFiles.frames(original).getLast();

        WalFiles.flipBit(segment, last.start() + 20, 0);
        assertRefuses(segment, last.start()).hasMessageContaining("payload checksum does not match");
        Files.write(segment, original);
        WalFiles.flipBit(segment, last.start() + 1, 0);
        assertRefuses(segment, last.start()).hasMessageContaining("header whose checksum does not match");
        Files.write(segment, original);
        WalFiles.flipBit(segment, last.end() - 1, 0);
        assertRefuses(segment, last.start()).hasMessageContaining("trailer byte is wrong");
    }

    @Test
    void an_incomplete_record_with_data_after_it_is_damage_not_a_torn_write() throws IOException {
        writeLog(5, 20);
        Path segment = onlySegment();
        FrameAt last = WalFiles.frames(segment).getLast();
        WalFiles.zero(segment, last.end() - 5, last.end());
        WalFiles.write(segment, last.end() + 100, new byte[] {7});

        assertRefuses(segment, last.start()).hasMessageContaining("incomplete record followed by data");
    }

    @Test
    void a_flipped_bit_in_the_zeros_after_the_data_does_not_stop_the_start() throws IOException {
        writeLog(5, 20);
        Path segment = onlySegment();
        FrameAt last = WalFiles.frames(segment).getLast();
        WalFiles.flipBit(segment, last.end() + 500, 6);

        try (WalStorage storage = open()) {
            assertThat(storage.lastIndex()).isEqualTo(5);
            assertThat(storage.recoveryReport().tailRepair()).contains(
                    new TailRepair(segment, last.end(), 501, TailRepair.Kind.STRAY_BYTES));
        }
        assertThat(allZero(Files.readAllBytes(segment), last.end(), (int) Files.size(segment))).isTrue();
    }

    @Test
    void a_flipped_bit_just_after_the_data_looks_like_a_torn_header_and_is_cut() throws IOException {
        writeLog(5, 20);
        Path segment = onlySegment();
        FrameAt last = WalFiles.frames(segment).getLast();
        WalFiles.flipBit(segment, last.end() + 2, 1);

        try (WalStorage storage = open()) {
            assertThat(storage.lastIndex()).isEqualTo(5);
            assertThat(storage.recoveryReport().tailRepair().orElseThrow().kind())
                    .isEqualTo(TailRepair.Kind.TORN_RECORD);
        }
    }

    @Test
    void a_damaged_record_in_a_segment_that_is_not_the_last_refuses() throws IOException {
        writeLog(60, 1000);
        List<Path> segments = WalFiles.segments(dir);
        assertThat(segments).hasSizeGreaterThan(2);
        Path first = segments.getFirst();
        FrameAt last = WalFiles.frames(first).getLast();
        WalFiles.flipBit(first, last.start() + 30, 2);

        assertRefuses(first, last.start()).hasMessageContaining("not the last")
                .hasMessageContaining(segments.get(1).getFileName().toString());
    }

    @Test
    void a_torn_record_in_a_segment_that_is_not_the_last_refuses() throws IOException {
        writeLog(60, 1000);
        Path first = WalFiles.segments(dir).getFirst();
        FrameAt last = WalFiles.frames(first).getLast();
        WalFiles.zero(first, last.start() + 30, last.end());

        assertRefuses(first, last.start()).hasMessageContaining("cut short").hasMessageContaining("not the last");
    }

    @Test
    void a_missing_segment_refuses() throws IOException {
        writeLog(60, 1000);
        List<Path> segments = WalFiles.segments(dir);
        Files.delete(segments.get(1));

        assertThatThrownBy(this::open).isInstanceOf(StorageCorruptionException.class)
                .hasMessageContaining(segments.get(2).toString())
                .hasMessageContaining("segment sequence 1 is missing");
    }

    @Test
    void a_segment_whose_header_does_not_match_its_name_refuses() throws IOException {
        writeLog(60, 1000);
        Path second = WalFiles.segments(dir).get(1);
        Path renamed = second.resolveSibling("0000000000000001-0000000000000777.wal");
        Files.move(second, renamed);

        assertRefuses(renamed, 0).hasMessageContaining("does not match the file name");
    }

    @Test
    void an_intact_record_of_an_unknown_type_refuses() throws IOException {
        writeLog(2, 20);
        Path segment = onlySegment();
        FrameAt last = WalFiles.frames(segment).getLast();
        WalFiles.write(segment, last.end(), Frame.encode((byte) 42, new byte[] {1, 2, 3}));

        assertRefuses(segment, last.end()).hasMessageContaining("unknown record type 42");
    }

    @Test
    void a_refusal_creates_no_missing_directory_either() throws IOException {
        writeLog(5, 20);
        Path segment = onlySegment();
        WalFiles.flipBit(segment, WalFiles.frames(segment).get(4).start() + 15, 0);
        Files.delete(dir.snap());

        assertThatThrownBy(this::open).isInstanceOf(StorageCorruptionException.class);
        assertThat(dir.snap()).doesNotExist();
    }

    @Test
    void a_directory_without_segments_is_not_a_log() throws IOException {
        Files.createDirectories(dir.wal());

        assertThat(WalStorage.exists(dir, files)).isFalse();
        assertThatThrownBy(this::open).isInstanceOf(NoSuchFileException.class).hasMessageContaining("no segment files");
    }

    @Test
    void leftovers_of_interrupted_preparations_are_deleted_at_start() throws IOException {
        writeLog(2, 20);
        Path walLeftover = Files.write(dir.wal().resolve("3.tmp"), new byte[100]);
        Path snapLeftover = Files.write(dir.snap().resolve("0000000000000001-0000000000000002.snap.tmp"), new byte[10]);

        try (WalStorage storage = open()) {
            assertThat(storage.lastIndex()).isEqualTo(2);
        }
        assertThat(walLeftover).doesNotExist();
        assertThat(snapLeftover).doesNotExist();
    }
}
