package dev.consensus.store.mvcc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.consensus.api.etcdserverpb.PutRequest;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The size the backend quota is checked against is read from RocksDB at most every 100 ms; in
 * between it must not under-count what was written, or a burst of writes could overrun the quota.
 */
class StoreSizeTest {

    private static final int MIB = 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void the_size_grows_at_once_by_at_least_what_each_write_adds() {
        try (MvccFixture kv = MvccFixture.open(dir)) {
            long before = kv.store().sizeBytes();
            for (int i = 0; i < 5; i++) {
                kv.put(PutRequest.newBuilder().setKey(MvccFixture.bytes("big" + i))
                        .setValue(ByteString.copyFrom(new byte[MIB])));
                assertThat(kv.store().sizeBytes()).as("after %d MiB", i + 1).isGreaterThanOrEqualTo(before + (i + 1L) * MIB);
            }
        }
    }

    @Test
    void a_flush_reads_the_size_afresh() {
        try (MvccFixture kv = MvccFixture.open(dir)) {
            byte[] incompressible = new byte[MIB];
            new Random(7).nextBytes(incompressible);
            kv.put(PutRequest.newBuilder().setKey(MvccFixture.bytes("big")).setValue(ByteString.copyFrom(incompressible)));
            kv.store().sizeBytes();
            kv.store().flush();
            // Flushed to an SST file: no longer in the memtable, and counted once, not twice.
            assertThat(kv.store().sizeBytes()).isBetween((long) MIB, 2L * MIB);
        }
    }
}
