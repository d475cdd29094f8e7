package dev.consensus.store.storage;

import dev.consensus.store.storage.SegmentScan.Tail;
import dev.consensus.store.storage.WalContents.SegmentFile;
import dev.consensus.store.storage.WalRecord.SegmentHeader;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a WAL directory and decides, without changing anything on disk, whether it is a log a
 * crash can leave behind. The rule (docs/storage.md): reading stops at the first offset that
 * is not an intact record; past it there must be no intact record, in this segment or a later
 * one; and what lies there must be zeros, or, in the last segment only, a record cut short
 * followed by zeros. Anything else is damage, and recovery refuses with
 * {@link StorageCorruptionException} naming the file and offset.
 */
final class WalReader {

    private static final Logger LOG = LoggerFactory.getLogger(WalReader.class);

    private WalReader() {}

    static WalContents read(FileLayer files, Path walDir) throws IOException {
        TreeMap<Long, SegmentName> names = new TreeMap<>();
        List<Path> leftovers = new ArrayList<>();
        for (Path p : files.list(walDir)) {
            String fileName = p.getFileName().toString();
            Optional<SegmentName> name = SegmentName.parse(fileName);
            if (name.isPresent()) {
                names.put(name.get().sequence(), name.get());
            } else if (fileName.endsWith(".tmp")) {
                leftovers.add(p);
            } else {
                LOG.warn("wal: ignoring unexpected file {}", p);
            }
        }
        if (names.isEmpty()) {
            throw new NoSuchFileException(walDir.toString(), null, "wal: no segment files");
        }
        checkSequence(walDir, names);
        List<SegmentScan> scans = new ArrayList<>();
        for (SegmentName name : names.values()) {
            Path path = walDir.resolve(name.fileName());
            try (FileHandle handle = files.open(path)) {
                scans.add(SegmentScan.of(path, handle.readAll()));
            }
        }
        return decide(List.copyOf(names.values()), scans, leftovers);
    }

    private static void checkSequence(Path walDir, TreeMap<Long, SegmentName> names) throws StorageCorruptionException {
        long expected = names.firstKey();
        for (Map.Entry<Long, SegmentName> e : names.entrySet()) {
            if (e.getKey() != expected) {
                throw new StorageCorruptionException(walDir.resolve(e.getValue().fileName()), -1,
                        "segment sequence " + expected + " is missing before it");
            }
            expected++;
        }
    }

    private static WalContents decide(List<SegmentName> names, List<SegmentScan> scans, List<Path> leftovers)
            throws StorageCorruptionException {
        List<SegmentFile> segments = new ArrayList<>();
        List<WalRecord> records = new ArrayList<>();
        TailRepair repair = null;
        for (int i = 0; i < scans.size(); i++) {
            SegmentScan s = scans.get(i);
            boolean last = i == scans.size() - 1;
            if (s.nextValidFrame() >= 0) {
                throw new StorageCorruptionException(s.file(), s.end(), describe(s.tail())
                        + ", yet an intact record follows at offset " + s.nextValidFrame());
            }
            if (!last && !(s.tail() instanceof Tail.Clean)) {
                throw new StorageCorruptionException(s.file(), s.end(), describe(s.tail())
                        + ", in a segment that is not the last: " + (scans.size() - 1 - i)
                        + " later segment(s) hold valid records, starting with " + scans.get(i + 1).file().getFileName());
            }
            if (s.tail() instanceof Tail.Damaged d) {
                throw new StorageCorruptionException(s.file(), s.end(), d.reason() + ", which a torn write cannot leave");
            }
            checkHeader(s, names.get(i));
            if (last) {
                repair = repair(s);
            }
            segments.add(new SegmentFile(names.get(i), s.file(), s.maxEntryIndex()));
            records.addAll(s.records());
        }
        return new WalContents(List.copyOf(segments), List.copyOf(records), scans.getLast().end(), repair,
                List.copyOf(leftovers));
    }

    private static void checkHeader(SegmentScan s, SegmentName name) throws StorageCorruptionException {
        if (s.records().isEmpty() || !(s.records().getFirst() instanceof SegmentHeader header)) {
            throw new StorageCorruptionException(s.file(), 0, "the segment does not begin with its header record");
        }
        if (header.sequence() != name.sequence() || header.firstIndex() != name.firstIndex()) {
            throw new StorageCorruptionException(s.file(), 0, "the segment header says sequence " + header.sequence()
                    + " and first index " + header.firstIndex() + ", which does not match the file name");
        }
    }

    private static TailRepair repair(SegmentScan s) {
        return switch (s.tail()) {
            case Tail.Torn t -> new TailRepair(s.file(), s.end(), t.tornEnd() - s.end(), TailRepair.Kind.TORN_RECORD);
            case Tail.Clean c when c.strayEnd() > s.end() ->
                    new TailRepair(s.file(), s.end(), c.strayEnd() - s.end(), TailRepair.Kind.STRAY_BYTES);
            default -> null;
        };
    }

    private static String describe(Tail tail) {
        return switch (tail) {
            case Tail.Clean c -> "the records end here (an all-zero header)";
            case Tail.Torn t -> "a record is cut short here (its bytes end at offset " + t.tornEnd() + ")";
            case Tail.Damaged d -> d.reason();
        };
    }
}
