package dev.consensus.store.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
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

    /** The real file system, counting the bytes written since each file's last fsync. */
    private static final class RecordingLayer implements FileLayer {
        private final RealFileLayer real = new RealFileLayer();
        final AtomicLong unforcedBytes = new AtomicLong();
        final AtomicLong mostUnforcedBytes = new AtomicLong();

        @Override
        public FileHandle create(Path file) throws IOException {
            FileHandle handle = real.create(file);
            return new FileHandle() {
                @Override
                public Path path() {
                    return handle.path();
                }

                @Override
                public int read(ByteBuffer dst, long position) throws IOException {
                    return handle.read(dst, position);
                }

                @Override
                public void write(ByteBuffer src, long position) throws IOException {
                    int bytes = src.remaining();
                    handle.write(src, position);
                    mostUnforcedBytes.accumulateAndGet(unforcedBytes.addAndGet(bytes), Math::max);
                }

                @Override
                public long size() throws IOException {
                    return handle.size();
                }

                @Override
                public void force() throws IOException {
                    handle.force();
                    unforcedBytes.set(0);
                }

                @Override
                public void truncate(long size) throws IOException {
                    handle.truncate(size);
                }

                @Override
                public void close() throws IOException {
                    handle.close();
                }
            };
        }

        @Override
        public FileHandle open(Path file) throws IOException {
            return real.open(file);
        }

        @Override
        public boolean exists(Path path) {
            return real.exists(path);
        }

        @Override
        public List<Path> list(Path d) throws IOException {
            return real.list(d);
        }

        @Override
        public void delete(Path file) throws IOException {
            real.delete(file);
        }

        @Override
        public void rename(Path from, Path to) throws IOException {
            real.rename(from, to);
        }

        @Override
        public void syncDirectory(Path d) throws IOException {
            real.syncDirectory(d);
        }

        @Override
        public void createDirectories(Path d) throws IOException {
            real.createDirectories(d);
        }
    }
}
