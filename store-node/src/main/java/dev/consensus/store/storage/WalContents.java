package dev.consensus.store.storage;

import dev.consensus.store.storage.WalRecord.SegmentHeader;
import java.nio.file.Path;
import java.util.List;

/**
 * A WAL directory as {@link WalReader} found it, judged recoverable: every intact record in
 * order, the segments, where the last one's records end, and what must be repaired before
 * appending (nothing is repaired yet).
 *
 * @param repair     the tail to overwrite with zeros, or null
 * @param leftovers  files of an interrupted segment preparation, to delete
 */
record WalContents(List<SegmentFile> segments, List<WalRecord> records, int lastSegmentEnd, TailRepair repair,
        List<Path> leftovers) {

    /** A segment file and the highest entry index it holds (0 when none), which decides purging. */
    record SegmentFile(SegmentName name, Path path, long maxEntryIndex) {}

    /** The records without the segment headers, which only frame the stream. */
    List<WalRecord> logRecords() {
        return records.stream().filter(r -> !(r instanceof SegmentHeader)).toList();
    }
}
