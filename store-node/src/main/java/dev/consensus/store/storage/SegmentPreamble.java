package dev.consensus.store.storage;

import dev.consensus.store.raft.HardState;
import dev.consensus.store.storage.WalRecord.HardStateRecord;
import dev.consensus.store.storage.WalRecord.SegmentHeader;
import dev.consensus.store.storage.WalRecord.SnapshotRecord;
import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * The records that open every segment: its header, then the snapshot marker and the hard state
 * in force when it was started. They make each segment self-contained for recovery, so that
 * deleting older segments never loses the latest hard state or snapshot marker.
 */
record SegmentPreamble(SegmentHeader header, SnapshotRecord snapshot, HardStateRecord hardState) {

    /** The preamble's encoded size; it is the same for every segment. */
    static final int MAX_BYTES = Frame.frameBytes(22) + Frame.frameBytes(17) + Frame.frameBytes(24);

    static SegmentPreamble of(SegmentName name, SnapshotRecord snapshot, HardState hardState) {
        SnapshotRecord carried = new SnapshotRecord(snapshot.index(), snapshot.term(), false);
        return new SegmentPreamble(new SegmentHeader(RecordCodec.FORMAT_VERSION, name.sequence(), name.firstIndex()),
                carried, new HardStateRecord(hardState));
    }

    List<WalRecord> records() {
        return List.of(header, snapshot, hardState);
    }

    byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(MAX_BYTES);
        for (WalRecord record : records()) {
            out.writeBytes(RecordCodec.frame(record));
        }
        return out.toByteArray();
    }
}
