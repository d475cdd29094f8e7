package dev.consensus.bench;

import com.google.protobuf.ByteString;
import dev.consensus.api.etcdserverpb.PutRequest;
import dev.consensus.api.etcdserverpb.PutResponse;
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
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteOptions;

/**
 * Put throughput of the MVCC store as the apply thread sees it (one thread, one Raft entry per
 * put: index update, KeyValue encoding, one RocksDB batch with the applied index), next to a raw
 * RocksDB put of the same key and value with the same write options (WAL on, no fsync): the
 * backend's limit. Keys are drawn at random from 10,000; values are 256 bytes.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
@Threads(1)
@State(Scope.Benchmark)
public class MvccPutBenchmark {

    static final int KEYS = 10_000;

    private Path mvccDir;
    private Path rawDir;
    private MvccStore store;
    private RocksDB raw;
    private Options rawOptions;
    private WriteOptions rawWrite;
    private PutRequest[] requests;
    private byte[][] rawKeys;
    private byte[] value;
    private SplittableRandom random;
    private long index;

    @Setup(Level.Trial)
    public void open() throws RocksDBException {
        value = MvccBenchData.value(1);
        requests = new PutRequest[KEYS];
        rawKeys = new byte[KEYS][];
        for (int i = 0; i < KEYS; i++) {
            rawKeys[i] = String.format("key-%05d", i).getBytes(StandardCharsets.UTF_8);
            requests[i] = PutRequest.newBuilder().setKey(ByteString.copyFrom(rawKeys[i]))
                    .setValue(ByteString.copyFrom(value)).build();
        }
        random = new SplittableRandom(42);
        mvccDir = MvccBenchData.freshDir("mvcc-put");
        store = MvccStore.open(mvccDir, MvccConfig.defaults());
        RocksDB.loadLibrary();
        rawDir = MvccBenchData.freshDir("rocksdb-put");
        rawOptions = new Options().setCreateIfMissing(true);
        rawWrite = new WriteOptions().setDisableWAL(true);
        raw = RocksDB.open(rawOptions, rawDir.toString());
    }

    @TearDown(Level.Trial)
    public void close() {
        store.close();
        raw.close();
        rawWrite.close();
        rawOptions.close();
        MvccBenchData.delete(mvccDir);
        MvccBenchData.delete(rawDir);
    }

    @Benchmark
    public PutResponse mvccPut() {
        return store.put(new RaftPosition(++index, 1), requests[random.nextInt(KEYS)]);
    }

    @Benchmark
    public void rocksdbPut() throws RocksDBException {
        raw.put(rawWrite, rawKeys[random.nextInt(KEYS)], value);
    }
}
