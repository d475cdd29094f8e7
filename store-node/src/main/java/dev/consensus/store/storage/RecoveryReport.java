package dev.consensus.store.storage;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What opening an existing member's storage found and repaired, for the log and for tests.
 *
 * @param segments         the WAL segments read, oldest first
 * @param records          the intact records read
 * @param tailRepair       the end of the last segment overwritten with zeros, if any
 * @param skippedSnapshots damaged or missing snapshot files passed over for an older one, whose
 *                         files (if any) were renamed to {@code *.broken}
 * @param snapshotIndex    the snapshot the log restarts from
 * @param lastIndex        the last entry recovered
 */
public record RecoveryReport(List<Path> segments, int records, Optional<TailRepair> tailRepair,
        List<Path> skippedSnapshots, long snapshotIndex, long lastIndex) {

    public RecoveryReport {
        segments = List.copyOf(segments);
        skippedSnapshots = List.copyOf(skippedSnapshots);
    }

    /** Nothing was there to recover: a newly created member. */
    static RecoveryReport created(long lastIndex) {
        return new RecoveryReport(List.of(), 0, Optional.empty(), List.of(), 0, lastIndex);
    }
}
