package dev.consensus.store.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentAllocatorTest {

    private static final long MIB = 1 << 20;

    @TempDir
    Path dir;

    /**
     * One fsync of a whole zero-filled segment made the appends' fsyncs running meanwhile wait
     * for all of it to reach the disk (220 ms on this machine, once per 64 MB segment).
     */
    @Test
    void a_prepared_segment_is_all_zeros_of_the_segment_size_and_never_more_than_a_mib_waits_for_an_fsync()
            throws IOException {
        RecordingLayer files = new RecordingLayer();
        long segmentBytes = 5 * MIB + 123;
        FileHandle prepared;
        try (SegmentAllocator allocator = new SegmentAllocator(files, dir, segmentBytes)) {
            prepared = allocator.take();
        }

        assertThat(prepared.size()).isEqualTo(segmentBytes);
        byte[] content = prepared.readAll();
        prepared.close();
        for (byte b : content) {
            assertThat(b).isZero();
        }
        assertThat(files.mostUnforcedBytes.get()).isEqualTo(MIB);
        assertThat(files.unforcedBytes.get()).as("written and not yet fsynced at the end").isZero();
    }

    /** The real file system, counting the bytes written since the last fsync of a file. */
    private static final class RecordingLayer extends ForwardingFileLayer {
        final AtomicLong unforcedBytes = new AtomicLong();
        final AtomicLong mostUnforcedBytes = new AtomicLong();

        RecordingLayer() {
            super(new RealFileLayer());
        }

        @Override
        protected FileHandle wrap(FileHandle handle) {
            return new ForwardingHandle(handle) {
                @Override
                public void write(ByteBuffer src, long position) throws IOException {
                    int bytes = src.remaining();
                    super.write(src, position);
                    mostUnforcedBytes.accumulateAndGet(unforcedBytes.addAndGet(bytes), Math::max);
                }

                @Override
                public void force() throws IOException {
                    super.force();
                    unforcedBytes.set(0);
                }
            };
        }
    }
}
