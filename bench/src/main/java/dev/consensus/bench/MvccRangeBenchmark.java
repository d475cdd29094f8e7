package dev.consensus.bench;

import com.google.protobuf.ByteString;
import dev.consensus.api.etcdserverpb.PutRequest;
import dev.consensus.api.etcdserverpb.RangeRequest;
import dev.consensus.api.etcdserverpb.RangeResponse;
import dev.consensus.store.mvcc.MvccConfig;
import dev.consensus.store.mvcc.MvccStore;
import dev.consensus.store.mvcc.RaftPosition;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteOptions;

/**
 * Range throughput of the MVCC store: a single-key get and a 100-key prefix range, over 10,000
 * keys in 100 prefixes with 256-byte values, next to the raw RocksDB equivalents (a point get and
 * a 100-key iterator scan) on the same data: the backend's limit.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
@Threads(1)
@State(Scope.Benchmark)
public class MvccRangeBenchmark {

    static final int PREFIXES = 100;
    static final int KEYS_PER_PREFIX = 100;

    private Path mvccDir;
    private Path rawDir;
    private MvccStore store;
    private RocksDB raw;
    private Options rawOptions;
    private ReadOptions rawRead;
    private RangeRequest[] gets;
    private RangeRequest[] prefixes;
    private byte[][] rawKeys;
    private byte[][] rawPrefixStarts;
    private byte[][] rawPrefixEnds;
    private SplittableRandom random;

    @Setup(Level.Trial)
    public void open() throws RocksDBException {
        byte[] value = MvccBenchData.value(2);
        mvccDir = MvccBenchData.freshDir("mvcc-range");
        store = MvccStore.open(mvccDir, MvccConfig.defaults());
        RocksDB.loadLibrary();
        rawDir = MvccBenchData.freshDir("rocksdb-range");
        rawOptions = new Options().setCreateIfMissing(true);
        raw = RocksDB.open(rawOptions, rawDir.toString());
        rawRead = new ReadOptions();
        gets = new RangeRequest[PREFIXES * KEYS_PER_PREFIX];
        rawKeys = new byte[gets.length][];
        prefixes = new RangeRequest[PREFIXES];
        rawPrefixStarts = new byte[PREFIXES][];
        rawPrefixEnds = new byte[PREFIXES][];
        long index = 0;
        try (WriteOptions write = new WriteOptions().setSync(false)) {
            for (int p = 0; p < PREFIXES; p++) {
                rawPrefixStarts[p] = bytes(String.format("p%03d/", p));
                rawPrefixEnds[p] = bytes(String.format("p%03d0", p));
                prefixes[p] = RangeRequest.newBuilder().setKey(ByteString.copyFrom(rawPrefixStarts[p]))
                        .setRangeEnd(ByteString.copyFrom(rawPrefixEnds[p])).build();
                for (int k = 0; k < KEYS_PER_PREFIX; k++) {
                    int i = p * KEYS_PER_PREFIX + k;
                    rawKeys[i] = bytes(String.format("p%03d/k%03d", p, k));
                    gets[i] = RangeRequest.newBuilder().setKey(ByteString.copyFrom(rawKeys[i])).build();
                    store.put(new RaftPosition(++index, 1), PutRequest.newBuilder()
                            .setKey(ByteString.copyFrom(rawKeys[i])).setValue(ByteString.copyFrom(value)).build());
                    raw.put(write, rawKeys[i], value);
                }
            }
        }
        random = new SplittableRandom(7);
    }

    @TearDown(Level.Trial)
    public void close() {
        store.close();
        rawRead.close();
        raw.close();
        rawOptions.close();
        MvccBenchData.delete(mvccDir);
        MvccBenchData.delete(rawDir);
    }

    @Benchmark
    public RangeResponse mvccGet() {
        return store.range(gets[random.nextInt(gets.length)]);
    }

    @Benchmark
    public RangeResponse mvccPrefixRange100() {
        return store.range(prefixes[random.nextInt(PREFIXES)]);
    }

    @Benchmark
    public byte[] rocksdbGet() throws RocksDBException {
        return raw.get(rawKeys[random.nextInt(rawKeys.length)]);
    }

    @Benchmark
    public void rocksdbPrefixScan100(Blackhole blackhole) {
        int p = random.nextInt(PREFIXES);
        byte[] end = rawPrefixEnds[p];
        try (RocksIterator it = raw.newIterator(rawRead)) {
            for (it.seek(rawPrefixStarts[p]); it.isValid(); it.next()) {
                byte[] key = it.key();
                if (java.util.Arrays.compareUnsigned(key, end) >= 0) {
                    break;
                }
                blackhole.consume(key);
                blackhole.consume(it.value());
            }
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
