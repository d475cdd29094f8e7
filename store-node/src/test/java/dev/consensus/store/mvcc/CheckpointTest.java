package dev.consensus.store.mvcc;

import static dev.consensus.store.mvcc.MvccFixture.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.consensus.api.etcdserverpb.CompactionRequest;
import dev.consensus.api.etcdserverpb.PutRequest;
import dev.consensus.api.etcdserverpb.RangeRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints: restoring one on a fresh data directory gives the same state, index included. */
class CheckpointTest {

    @TempDir
    Path dir;

    @Test
    void a_restored_checkpoint_has_the_same_data_history_leases_revisions_and_applied_position() throws Exception {
        Path checkpoint = dir.resolve("checkpoint");
        SnapshotInfo info;
        List<String> everything;
        try (MvccFixture kv = MvccFixture.open(dir.resolve("source"))) {
            long lease = kv.grant(77, 60);
            for (int i = 0; i < 30; i++) {
                kv.put("k" + (i % 7), "v" + i);
            }
            kv.put(PutRequest.newBuilder().setKey(bytes("leased")).setValue(bytes("x")).setLease(lease));
            kv.delete("k3");
            kv.store().compact(kv.next(), CompactionRequest.newBuilder().setRevision(20).build());
            kv.store().applyMembership(kv.next(), new byte[] {9, 8});
            everything = all(kv, 25);

            info = kv.store().checkpoint(checkpoint);
            assertThat(info.appliedIndex()).isEqualTo(kv.store().appliedIndex());
            assertThat(info.revision()).isEqualTo(kv.store().currentRevision());
            kv.put("after", "not in the checkpoint");
        }
        assertThat(MvccStore.checkpointInfo(checkpoint)).isEqualTo(info);

        Path restored = dir.resolve("restored");
        assertThat(MvccStore.restore(checkpoint, restored)).isEqualTo(info);
        try (MvccFixture kv = MvccFixture.open(restored)) {
            assertThat(kv.store().appliedIndex()).isEqualTo(info.appliedIndex());
            assertThat(kv.store().appliedTerm()).isEqualTo(info.appliedTerm());
            assertThat(kv.store().currentRevision()).isEqualTo(info.revision());
            assertThat(kv.store().compactRevision()).isEqualTo(20);
            assertThat(kv.store().membership()).containsExactly(9, 8);
            assertThat(all(kv, 25)).isEqualTo(everything);
            assertThat(kv.value("after")).isNull();
            assertThat(kv.store().lease(77).orElseThrow().keys()).containsExactly(bytes("leased"));
            kv.store().physicalCompaction().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void a_checkpoint_taken_during_writes_holds_exactly_the_entries_its_applied_index_says() throws Exception {
        Path checkpoint = dir.resolve("checkpoint");
        try (MvccFixture kv = MvccFixture.open(dir.resolve("source"))) {
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread writer = new Thread(() -> {
                try {
                    for (int i = 1; i <= 2000; i++) {
                        kv.put("k" + i, "v");
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            writer.start();
            while (kv.store().appliedIndex() < 200 && writer.isAlive()) {
                Thread.onSpinWait();
            }
            SnapshotInfo info = kv.store().checkpoint(checkpoint);
            writer.join(60_000);
            assertThat(failure.get()).isNull();

            Path restored = dir.resolve("restored");
            MvccStore.restore(checkpoint, restored);
            try (MvccFixture copy = MvccFixture.open(restored)) {
                long applied = copy.store().appliedIndex();
                assertThat(applied).isEqualTo(info.appliedIndex());
                assertThat(copy.range(RangeRequest.newBuilder().setKey(bytes("k")).setRangeEnd(bytes("l")))
                        .getCount()).isEqualTo(applied);
                assertThat(copy.value("k" + applied)).isEqualTo("v");
                assertThat(copy.value("k" + (applied + 1))).isNull();
            }
        }
    }

    @Test
    void a_checkpoint_taken_while_membership_changes_reports_the_membership_of_its_applied_index() throws Exception {
        try (MvccFixture kv = MvccFixture.open(dir.resolve("source"))) {
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread writer = new Thread(() -> {
                try {
                    for (long index = 1; index <= 5_000; index++) {
                        kv.store().applyMembership(new RaftPosition(index, 1),
                                java.nio.ByteBuffer.allocate(8).putLong(index).array());
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            writer.start();
            for (int i = 0; i < 10 && writer.isAlive(); i++) {
                SnapshotInfo info = kv.store().checkpoint(dir.resolve("checkpoint-" + i));
                if (info.appliedIndex() > 0) {
                    assertThat(java.nio.ByteBuffer.wrap(info.membership()).getLong()).as("checkpoint %d", i)
                            .isEqualTo(info.appliedIndex());
                }
            }
            writer.join(60_000);
            assertThat(failure.get()).isNull();
        }
    }

    @Test
    void restoring_into_a_directory_that_is_not_empty_is_refused() throws Exception {
        Path checkpoint = dir.resolve("checkpoint");
        try (MvccFixture kv = MvccFixture.open(dir.resolve("source"))) {
            kv.put("a", "1");
            kv.store().checkpoint(checkpoint);
            assertThatThrownBy(() -> kv.store().checkpoint(checkpoint)).isInstanceOf(IllegalArgumentException.class);
        }
        Path busy = Files.createDirectories(dir.resolve("busy"));
        Files.writeString(busy.resolve("something"), "x");
        assertThatThrownBy(() -> MvccStore.restore(checkpoint, busy)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not empty");
    }

    @Test
    void a_damaged_checkpoint_info_file_is_detected() throws Exception {
        Path checkpoint = dir.resolve("checkpoint");
        try (MvccFixture kv = MvccFixture.open(dir.resolve("source"))) {
            kv.put("a", "1");
            kv.store().checkpoint(checkpoint);
        }
        Path info = checkpoint.resolve(Checkpoints.INFO_FILE);
        byte[] bytes = Files.readAllBytes(info);
        bytes[12] ^= 1;
        Files.write(info, bytes);

        assertThatThrownBy(() -> MvccStore.restore(checkpoint, dir.resolve("restored")))
                .isInstanceOf(MvccStorageException.class).hasMessageContaining("checksum");
    }

    private static List<String> all(MvccFixture kv, long revision) {
        RangeRequest.Builder everything = RangeRequest.newBuilder().setKey(bytes("\0")).setRangeEnd(bytes("\0"));
        List<String> now = kv.range(everything).getKvsList().stream().map(Object::toString).toList();
        List<String> past = kv.range(everything.setRevision(revision)).getKvsList().stream().map(Object::toString)
                .toList();
        return java.util.stream.Stream.concat(now.stream(), past.stream()).toList();
    }
}
