package dev.consensus.store.storage;

import dev.consensus.store.raft.Entry;
import dev.consensus.store.raft.HardState;
import dev.consensus.store.raft.Snapshot;
import dev.consensus.store.storage.WalRecord.SnapshotRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Works out a member's durable state from its WAL and snapshot files, and decides whether to
 * start at all, before anything on disk is changed. The snapshot is the newest one whose
 * marker is in the WAL and whose file is intact; a damaged or missing newer one is passed over
 * only when the log still holds every entry after the older one, else recovery refuses.
 */
final class StorageRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(StorageRecovery.class);

    /** The recovered state, and what must change on disk before the member goes on. */
    record Result(WalContents contents, HardState hardState, Snapshot snapshot, List<Entry> entries,
            List<SnapshotFile> skipped, List<SnapshotFile> orphans, List<Path> snapLeftovers) {

        long lastIndex() {
            return entries.isEmpty() ? snapshot.index() : entries.getLast().index();
        }

        RecoveryReport report(SnapshotStore store) {
            return new RecoveryReport(contents.segments().stream().map(WalContents.SegmentFile::path).toList(),
                    contents.records().size(), Optional.ofNullable(contents.repair()),
                    skipped.stream().map(store::path).toList(), snapshot.index(), lastIndex());
        }
    }

    private StorageRecovery() {}

    static Result read(FileLayer files, Path walDir, SnapshotStore store) throws IOException {
        WalContents contents = WalReader.read(files, walDir);
        LogReplay replay = LogReplay.of(contents.logRecords());
        List<SnapshotFile> skipped = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        long olderThan = Long.MAX_VALUE;
        for (SnapshotRecord marker : candidates(replay)) {
            if (marker.index() >= olderThan) {
                continue; // at the index of a damaged later snapshot, but another history: never a stand-in
            }
            SnapshotFile name = new SnapshotFile(marker.term(), marker.index());
            Snapshot snapshot;
            try {
                snapshot = marker.index() == 0 ? Snapshot.EMPTY : store.load(name);
            } catch (IllegalArgumentException e) {
                skipped.add(name);
                problems.add(store.path(name) + ": " + e.getMessage());
                olderThan = marker.index();
                continue;
            }
            Optional<List<Entry>> entries = replay.entriesAfter(marker.index(), marker.term());
            if (entries.isEmpty()) {
                throw incomplete(walDir, store, marker, replay, skipped, problems);
            }
            List<SnapshotFile> orphans = orphans(store, replay, marker.index());
            return new Result(contents, replay.hardState(), snapshot, entries.get(), List.copyOf(skipped), orphans,
                    store.leftovers());
        }
        throw new IllegalStateException("the empty snapshot is always a candidate");
    }

    /**
     * Snapshot markers, the most recent first, each once, then the empty snapshot (replay from
     * index 1). Recency is the order in the WAL, not the index: a leader may install a snapshot
     * at the index of an older one, with a later term.
     */
    private static List<SnapshotRecord> candidates(LogReplay replay) {
        Set<SnapshotRecord> out = new LinkedHashSet<>();
        replay.snapshots().reversed().forEach(s -> out.add(new SnapshotRecord(s.index(), s.term(), false)));
        out.add(SnapshotRecord.NONE);
        return List.copyOf(out);
    }

    private static StorageCorruptionException incomplete(Path walDir, SnapshotStore store, SnapshotRecord marker,
            LogReplay replay, List<SnapshotFile> skipped, List<String> problems) {
        String gap = "the log after index " + marker.index() + " is incomplete (it resumes at index "
                + replay.firstReplayedIndex() + ", or does not continue from the snapshot's term " + marker.term() + ")";
        if (skipped.isEmpty()) {
            return new StorageCorruptionException(walDir, -1, gap);
        }
        String older = marker.index() == 0 ? "replaying the log from its start" : store.path(
                new SnapshotFile(marker.term(), marker.index())).getFileName().toString();
        return new StorageCorruptionException(store.path(skipped.getFirst()), -1, "the newest snapshot file is "
                + "unusable (" + String.join("; ", problems) + ") and " + older + " cannot replace it: " + gap);
    }

    /** Snapshot files newer than the chosen one that no marker names: saves a crash interrupted. */
    private static List<SnapshotFile> orphans(SnapshotStore store, LogReplay replay, long chosenIndex)
            throws IOException {
        Set<SnapshotFile> named = new LinkedHashSet<>();
        replay.snapshots().forEach(s -> named.add(new SnapshotFile(s.term(), s.index())));
        return store.list().stream().filter(f -> f.index() > chosenIndex && !named.contains(f)).toList();
    }

    /** Sets damaged snapshot files aside and removes leftovers; the WAL repairs its own tail. */
    static void repairSnapshots(FileLayer files, SnapshotStore store, Result result) throws IOException {
        for (SnapshotFile f : result.skipped()) {
            LOG.warn("snap: passing over {}: it is missing or damaged; restarting from the snapshot at index {}, "
                    + "whose log is complete; a damaged file is kept as .broken", store.path(f), result.snapshot().index());
            store.setAside(f);
        }
        for (SnapshotFile f : result.orphans()) {
            LOG.info("snap: deleting {}, which no WAL marker names (a snapshot save a crash interrupted)", store.path(f));
            files.delete(store.path(f));
        }
        for (Path p : result.snapLeftovers()) {
            files.delete(p);
        }
        if (!result.orphans().isEmpty() || !result.snapLeftovers().isEmpty()) {
            files.syncDirectory(store.dir());
        }
    }
}
