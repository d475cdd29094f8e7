package dev.consensus.store.mvcc;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.rocksdb.Checkpoint;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Snapshot;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The RocksDB database under the store and its three column families: {@code kv} (revision key to
 * KeyValue bytes), {@code lease} (lease id to granted TTL) and {@code meta} (applied Raft position,
 * revisions, membership). It owns every native handle and closes them in reverse order.
 *
 * <p>Writes skip RocksDB's own WAL: every write is an applied Raft entry, which the Raft WAL
 * already holds fsynced, so a crash that loses the memtables loses nothing the server cannot
 * replay from there (as etcd replays its Raft log onto the last bbolt commit). Logging each write
 * a second time cost more than applying it: one write(2) per entry, contending with the Raft
 * WAL's fsyncs. Flushes are atomic across the column families, so what survives a crash is always
 * a prefix of the writes, with the applied index that says how far it goes; {@link #flush()}
 * makes everything written so far durable, as a checkpoint does before the Raft log is compacted.
 */
final class RocksBackend implements AutoCloseable {

    static {
        RocksLibrary.load();
    }

    private static final String KV = "kv";
    private static final String LEASE = "lease";
    private static final String META = "meta";
    private static final long SIZE_READ_NANOS = 100_000_000L;

    private final ColumnFamilyOptions columnOptions;
    private final DBOptions dbOptions;
    private final WriteOptions writeOptions;
    private final List<ColumnFamilyHandle> handles;
    private final RocksDB db;
    private final AtomicLong writtenSinceSizeRead = new AtomicLong();
    private volatile SizeReading lastSize;

    private record SizeReading(long atNanos, long bytes) { }

    private RocksBackend(ColumnFamilyOptions columnOptions, DBOptions dbOptions, WriteOptions writeOptions,
            List<ColumnFamilyHandle> handles, RocksDB db) {
        this.columnOptions = columnOptions;
        this.dbOptions = dbOptions;
        this.writeOptions = writeOptions;
        this.handles = handles;
        this.db = db;
    }

    static RocksBackend open(Path dir) {
        ColumnFamilyOptions columnOptions = new ColumnFamilyOptions();
        DBOptions dbOptions = new DBOptions()
                .setCreateIfMissing(true)
                .setCreateMissingColumnFamilies(true)
                .setInfoLogLevel(InfoLogLevel.WARN_LEVEL)
                .setKeepLogFileNum(4)
                .setAtomicFlush(true);
        WriteOptions writeOptions = new WriteOptions().setDisableWAL(true);
        List<ColumnFamilyDescriptor> descriptors = List.of(
                new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, columnOptions),
                new ColumnFamilyDescriptor(bytes(KV), columnOptions),
                new ColumnFamilyDescriptor(bytes(LEASE), columnOptions),
                new ColumnFamilyDescriptor(bytes(META), columnOptions));
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try {
            Files.createDirectories(dir);
            RocksDB db = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
            return new RocksBackend(columnOptions, dbOptions, writeOptions, handles, db);
        } catch (RocksDBException | java.io.IOException e) {
            handles.forEach(ColumnFamilyHandle::close);
            writeOptions.close();
            dbOptions.close();
            columnOptions.close();
            throw new MvccStorageException("cannot open the MVCC database in " + dir + ": " + e.getMessage(), e);
        }
    }

    ColumnFamilyHandle kv() {
        return handles.get(1);
    }

    ColumnFamilyHandle lease() {
        return handles.get(2);
    }

    ColumnFamilyHandle meta() {
        return handles.get(3);
    }

    void write(WriteBatch batch) {
        try {
            db.write(writeOptions, batch);
            writtenSinceSizeRead.addAndGet(batch.getDataSize());
        } catch (RocksDBException e) {
            throw new MvccStorageException("RocksDB write failed: " + e.getMessage(), e);
        }
    }

    byte[] get(ColumnFamilyHandle family, byte[] key) {
        try {
            return db.get(family, key);
        } catch (RocksDBException e) {
            throw new MvccStorageException("RocksDB read failed: " + e.getMessage(), e);
        }
    }

    /** The values of {@code keys} in one call, in order; null where a key is absent. */
    List<byte[]> multiGet(ColumnFamilyHandle family, ReadOptions options, List<byte[]> keys) {
        try {
            return db.multiGetAsList(options, Collections.nCopies(keys.size(), family), keys);
        } catch (RocksDBException e) {
            throw new MvccStorageException("RocksDB read failed: " + e.getMessage(), e);
        }
    }

    RocksIterator iterator(ColumnFamilyHandle family, ReadOptions options) {
        return db.newIterator(family, options);
    }

    Snapshot snapshot() {
        return db.getSnapshot();
    }

    void release(Snapshot snapshot) {
        db.releaseSnapshot(snapshot);
        snapshot.close();
    }

    /**
     * Writes every column family's memtable to files and waits for it: every write before the
     * call is then durable. Writes may go on meanwhile; a checkpoint right after then has only
     * what came since left to flush.
     */
    void flush() {
        try (FlushOptions options = new FlushOptions().setWaitForFlush(true)) {
            db.flush(options, handles);
            lastSize = null;
        } catch (RocksDBException e) {
            throw new MvccStorageException("RocksDB flush failed: " + e.getMessage(), e);
        }
    }

    /** A consistent copy of the whole database in {@code target}, which must not exist yet. */
    void checkpoint(Path target) {
        try (Checkpoint checkpoint = Checkpoint.create(db)) {
            checkpoint.createCheckpoint(target.toString());
        } catch (RocksDBException e) {
            throw new MvccStorageException("RocksDB checkpoint to " + target + " failed: " + e.getMessage(), e);
        }
    }

    /** Rewrites every column family's files without dead entries: etcd's defragment. */
    void compactAll() {
        try {
            for (ColumnFamilyHandle family : List.of(kv(), lease(), meta())) {
                db.compactRange(family);
            }
            lastSize = null;
        } catch (RocksDBException e) {
            throw new MvccStorageException("RocksDB compaction failed: " + e.getMessage(), e);
        }
    }

    /** CRC-32C of every key and value of the key-value family, in key order. */
    int hashKeyValues() {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        try (ReadOptions options = new ReadOptions(); RocksIterator it = db.newIterator(kv(), options)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                crc.update(it.key());
                crc.update(it.value());
            }
        }
        return (int) crc.getValue();
    }

    /**
     * Bytes the data takes: SST files on disk plus what the memtables hold and have yet to
     * flush (which the Raft WAL holds on disk meanwhile). Status reports it as the DB size and
     * the backend quota is checked against it, on every write request. RocksDB's size properties
     * take its mutex, six calls in all, so they are read at most every {@link #SIZE_READ_NANOS};
     * in between, the bytes written since are added to the last reading, which over-counts
     * (overwrites, compression), as a quota check should if it must err.
     */
    long liveDataBytes() {
        long now = System.nanoTime();
        SizeReading last = lastSize;
        if (last != null && now - last.atNanos() < SIZE_READ_NANOS) {
            return last.bytes() + writtenSinceSizeRead.get();
        }
        writtenSinceSizeRead.set(0);
        long bytes = readLiveDataBytes();
        lastSize = new SizeReading(now, bytes);
        return bytes;
    }

    private long readLiveDataBytes() {
        try {
            long total = 0;
            for (ColumnFamilyHandle family : List.of(kv(), lease(), meta())) {
                total += db.getLongProperty(family, "rocksdb.total-sst-files-size");
                total += db.getLongProperty(family, "rocksdb.cur-size-all-mem-tables");
            }
            return total;
        } catch (RocksDBException e) {
            throw new MvccStorageException("RocksDB property read failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        for (int i = handles.size() - 1; i >= 0; i--) {
            handles.get(i).close();
        }
        db.close();
        writeOptions.close();
        dbOptions.close();
        columnOptions.close();
    }

    private static byte[] bytes(String name) {
        return name.getBytes(StandardCharsets.UTF_8);
    }
}
