package dev.consensus.store.storage;

import dev.consensus.store.raft.HardState;
import dev.consensus.store.storage.WalContents.SegmentFile;
import dev.consensus.store.storage.WalRecord.EntryRecord;
import dev.consensus.store.storage.WalRecord.HardStateRecord;
import dev.consensus.store.storage.WalRecord.SegmentHeader;
import dev.consensus.store.storage.WalRecord.SnapshotRecord;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The segment files of one WAL as its writer sees them: frames are buffered, written at the end
 * of the active segment, and made durable by {@link #sync()}. A frame that does not fit starts a
 * new segment. Only the WAL's writer thread uses it.
 *
 * <p>A new segment is written completely before it gets its name: its preamble (header, the
 * snapshot marker and hard state in force) goes into a prepared temporary file, which is
 * fsynced, renamed into place and made durable with a directory fsync. So every file with a
 * segment's name begins with an intact preamble, whatever the moment of a crash.
 */
final class SegmentLog implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(SegmentLog.class);
    private static final int BUFFER_BYTES = 1 << 20;

    /** A segment on disk and the highest entry index it holds. */
    private static final class Segment {
        final SegmentName name;
        final Path path;
        long maxEntryIndex;

        Segment(SegmentName name, Path path, long maxEntryIndex) {
            this.name = name;
            this.path = path;
            this.maxEntryIndex = maxEntryIndex;
        }
    }

    /** What the next segment's preamble must carry, and the last index for its name. */
    record State(HardState hardState, SnapshotRecord snapshot, long lastIndex) {}

    private final FileLayer files;
    private final Path dir;
    private final SegmentAllocator allocator;
    private final List<Segment> segments = new ArrayList<>();
    private final ByteBuffer buffer;
    private FileHandle active;
    private long capacity;
    private long written;
    private boolean unsynced;
    private State state;

    private SegmentLog(FileLayer files, Path dir, WalConfig config, State state) {
        this.files = files;
        this.dir = dir;
        this.state = state;
        this.buffer = ByteBuffer.allocateDirect((int) Math.min(BUFFER_BYTES, config.segmentBytes()));
        this.allocator = new SegmentAllocator(files, dir, config.segmentBytes());
    }

    /** Writes the first segment, holding {@code initial} after its preamble, in one step. */
    static SegmentLog create(FileLayer files, Path dir, WalConfig config, List<WalRecord> initial) throws IOException {
        SegmentLog log = new SegmentLog(files, dir, config, new State(HardState.EMPTY, SnapshotRecord.NONE, 0));
        try {
            log.startSegment(new SegmentName(0, 1), initial);
            return log;
        } catch (IOException | RuntimeException e) {
            log.close();
            throw e;
        }
    }

    /** Continues an existing log after recovery, repairing the last segment's tail first. */
    static SegmentLog open(FileLayer files, Path dir, WalConfig config, WalContents contents, State state)
            throws IOException {
        SegmentLog log = new SegmentLog(files, dir, config, state);
        try {
            for (SegmentFile s : contents.segments()) {
                log.segments.add(new Segment(s.name(), s.path(), s.maxEntryIndex()));
            }
            log.active = files.open(contents.segments().getLast().path());
            log.capacity = log.active.size();
            log.written = contents.lastSegmentEnd();
            if (contents.repair() != null) {
                log.repairTail(contents.repair());
            }
            return log;
        } catch (IOException | RuntimeException e) {
            log.close();
            throw e;
        }
    }

    private void repairTail(TailRepair repair) throws IOException {
        active.write(ByteBuffer.allocate((int) repair.bytes()), repair.offset());
        active.force();
        switch (repair.kind()) {
            case TORN_RECORD -> LOG.warn("wal: cut off a torn record at the end of {}: {} bytes at offset {} were "
                    + "overwritten with zeros (a write a crash interrupted; its append was never acknowledged)",
                    repair.file(), repair.bytes(), repair.offset());
            case STRAY_BYTES -> LOG.warn("wal: zeroed {} stray bytes after the end of the log in {} at offset {} "
                    + "(non-zero bytes in unused space, not a record)", repair.bytes(), repair.file(), repair.offset());
        }
    }

    /** Buffers one encoded record, starting a new segment first when it does not fit. */
    void append(WalRecord record, byte[] frame) throws IOException {
        if (written + buffer.position() + frame.length > capacity) {
            roll();
        }
        if (frame.length > buffer.remaining()) {
            flush();
        }
        if (frame.length > buffer.capacity()) {
            active.write(ByteBuffer.wrap(frame), written);
            written += frame.length;
            unsynced = true;
        } else {
            buffer.put(frame);
        }
        track(record);
    }

    /** Writes what is buffered and fsyncs the active segment, if anything changed. */
    void sync() throws IOException {
        flush();
        if (unsynced) {
            active.force();
            unsynced = false;
        }
    }

    private void flush() throws IOException {
        if (buffer.position() == 0) {
            return;
        }
        buffer.flip();
        int bytes = buffer.remaining();
        active.write(buffer, written);
        buffer.clear();
        written += bytes;
        unsynced = true;
    }

    private void track(WalRecord record) {
        switch (record) {
            case EntryRecord(var e) -> {
                state = new State(state.hardState(), state.snapshot(), e.index());
                Segment current = segments.getLast();
                current.maxEntryIndex = Math.max(current.maxEntryIndex, e.index());
            }
            case HardStateRecord(var h) -> state = new State(h, state.snapshot(), state.lastIndex());
            case SnapshotRecord s when s.replacesLog() -> state = new State(state.hardState(), s, s.index());
            case SnapshotRecord s when s.index() > state.snapshot().index() ->
                    state = new State(state.hardState(), s, state.lastIndex());
            case SnapshotRecord s -> { }
            case SegmentHeader h -> throw new IllegalArgumentException("segment headers are written by the WAL itself");
        }
    }

    private void roll() throws IOException {
        sync();
        Segment previous = segments.getLast();
        startSegment(new SegmentName(previous.name.sequence() + 1, state.lastIndex() + 1), List.of());
    }

    private void startSegment(SegmentName name, List<WalRecord> initial) throws IOException {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        content.writeBytes(SegmentPreamble.of(name, state.snapshot(), state.hardState()).encode());
        initial.forEach(r -> content.writeBytes(RecordCodec.frame(r)));
        FileHandle file = allocator.take();
        Path path = dir.resolve(name.fileName());
        try {
            if (content.size() > file.size()) {
                throw new IllegalArgumentException("wal: the initial records do not fit in one segment");
            }
            file.write(ByteBuffer.wrap(content.toByteArray()), 0);
            file.force();
            files.rename(file.path(), path);
            files.syncDirectory(dir);
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
        if (active != null) {
            active.close();
        }
        active = file;
        capacity = file.size();
        written = content.size();
        segments.add(new Segment(name, path, 0));
        initial.forEach(this::track);
    }

    /**
     * Deletes the oldest segments while every entry they hold is at or below {@code index};
     * the active segment always stays. Later segments open with the snapshot marker and hard
     * state in force, so nothing recovery needs goes with them.
     *
     * @return how many segments were deleted
     */
    int purge(long index) throws IOException {
        int deleted = 0;
        while (segments.size() > 1 && segments.getFirst().maxEntryIndex <= index) {
            files.delete(segments.getFirst().path);
            segments.removeFirst();
            deleted++;
        }
        if (deleted > 0) {
            files.syncDirectory(dir);
        }
        return deleted;
    }

    @Override
    public void close() {
        allocator.close();
        if (active != null) {
            try {
                active.close();
            } catch (IOException e) {
                LOG.warn("wal: closing {} failed", segments.isEmpty() ? dir : segments.getLast().path, e);
            }
        }
    }
}
