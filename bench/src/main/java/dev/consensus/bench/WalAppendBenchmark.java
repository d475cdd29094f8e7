package dev.consensus.bench;

import dev.consensus.store.raft.Entry;
import dev.consensus.store.storage.Wal;
import dev.consensus.store.storage.WalConfig;
import dev.consensus.store.storage.WalRecord;
import dev.consensus.store.storage.WalRecord.EntryRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * WAL appends through group commit, each acknowledged only after its fsync, at 1, 16 and 256
 * concurrent appenders, next to the disk's own limit measured in the same run: a loop of one
 * 4 KiB write and one fdatasync on a preallocated file in the same directory.
 *
 * <p>Each iteration prints how many appends shared an fsync and the fsyncs per second, to set
 * against the raw loop's fsyncs per second. JMH runs benchmarks in name order; the letters put the
 * raw loop before and after the WAL runs, so that a disk slowed down meanwhile by other work on
 * the machine shows in the baseline too. Data goes under {@code java.io.tmpdir}; point it at
 * the disk to measure with {@code -Djava.io.tmpdir=...} (a JVM option: {@code -jvmArgs}).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 10)
@Measurement(iterations = 3, time = 10)
public class WalAppendBenchmark {

    /** One WAL shared by all appending threads, with etcd's 64 MB segments. */
    @State(Scope.Benchmark)
    public static class WalState {

        @Param("256")
        public int entryBytes;

        private Path dir;
        private WalFsyncCountingLayer files;
        private Wal wal;
        private byte[] data;
        private final AtomicLong nextIndex = new AtomicLong(1);
        private final AtomicLong appends = new AtomicLong();
        private long iterationAppends;
        private long iterationForces;
        private long iterationStartNanos;

        @Setup(Level.Trial)
        public void open() throws IOException {
            dir = Files.createTempDirectory("wal-bench");
            files = new WalFsyncCountingLayer();
            wal = Wal.create(files, dir.resolve("wal"), WalConfig.defaults(), List.of());
            data = new byte[entryBytes];
            System.out.println("\nWAL data directory: " + dir);
        }

        @Setup(Level.Iteration)
        public void startIteration() {
            iterationAppends = appends.get();
            iterationForces = files.fileForces();
            iterationStartNanos = System.nanoTime();
        }

        @TearDown(Level.Iteration)
        public void reportIteration() {
            double seconds = (System.nanoTime() - iterationStartNanos) / 1e9;
            long n = appends.get() - iterationAppends;
            long forces = files.fileForces() - iterationForces;
            System.out.printf("%n  appends %d, fsyncs %d, appends per fsync %.1f, fsyncs/s %.0f%n", n, forces,
                    forces == 0 ? 0.0 : (double) n / forces, forces / seconds);
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            wal.close();
            deleteRecursively(dir);
        }

        void append() throws IOException {
            WalRecord record = new EntryRecord(Entry.normal(nextIndex.getAndIncrement(), 1, data));
            wal.append(List.of(record));
            appends.incrementAndGet();
        }
    }

    /** A preallocated 64 MiB file written 4 KiB at a time, wrapping around. */
    @State(Scope.Thread)
    public static class RawState {

        private static final int FILE_BYTES = 64 << 20;
        private static final int BLOCK_BYTES = 4096;

        private Path dir;
        private FileChannel channel;
        private final ByteBuffer block = ByteBuffer.allocateDirect(BLOCK_BYTES);
        private long position;

        @Setup(Level.Trial)
        public void open() throws IOException {
            dir = Files.createTempDirectory("wal-bench-raw");
            channel = FileChannel.open(dir.resolve("raw.dat"), StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
            for (long at = 0; at < FILE_BYTES; at += zeros.capacity()) {
                zeros.clear();
                while (zeros.hasRemaining()) {
                    channel.write(zeros, at + zeros.position());
                }
            }
            channel.force(true);
            for (int i = 0; i < BLOCK_BYTES; i++) {
                block.put(i, (byte) i);
            }
            System.out.println("\nraw data directory: " + dir);
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            channel.close();
            deleteRecursively(dir);
        }

        void writeAndSync() throws IOException {
            block.clear();
            while (block.hasRemaining()) {
                channel.write(block, position + block.position());
            }
            channel.force(false);
            position = (position + BLOCK_BYTES) % FILE_BYTES;
        }
    }

    /** The physical limit: one 4 KiB write and one fdatasync per operation. */
    @Benchmark
    @Threads(1)
    public void a_raw4kWriteFdatasync_before(RawState raw) throws IOException {
        raw.writeAndSync();
    }

    @Benchmark
    @Threads(1)
    public void b_walAppend_1thread(WalState wal) throws IOException {
        wal.append();
    }

    @Benchmark
    @Threads(16)
    public void c_walAppend_16threads(WalState wal) throws IOException {
        wal.append();
    }

    @Benchmark
    @Threads(256)
    public void d_walAppend_256threads(WalState wal) throws IOException {
        wal.append();
    }

    /** The raw loop again, after the WAL runs. */
    @Benchmark
    @Threads(1)
    public void e_raw4kWriteFdatasync_after(RawState raw) throws IOException {
        raw.writeAndSync();
    }

    private static void deleteRecursively(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
