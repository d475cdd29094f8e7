package dev.consensus.store.storage;

import dev.consensus.store.raft.ConfState;
import dev.consensus.store.raft.Entry;
import dev.consensus.store.raft.HardState;
import dev.consensus.store.storage.FaultInjectingFileLayer.BitFlip;
import dev.consensus.store.storage.WalFiles.FrameAt;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * One seed of the crash test: create a member, write at random until the machine stops at a
 * random operation, lose power (unsynced bytes kept as a random prefix, cut at any byte),
 * sometimes flip a bit, recover, and check the result against the {@link CrashModel}. Then
 * write more and restart once more, to show the repaired log takes appends.
 */
final class CrashRun {

    /** How a seed ended. */
    enum Outcome {
        /** Recovery found the log intact. */
        CLEAN,
        /** Recovery cut a record a crash had torn. */
        TORN_TAIL_CUT,
        /** Recovery refused: a flipped bit was reported as corruption. */
        CORRUPTION_REPORTED,
        /** The crash hit while creating the member; recovery found no log or a complete one. */
        CRASHED_WHILE_CREATING
    }

    private static final ConfState MEMBERS = ConfState.ofVoters(1L, 2L, 3L);
    private static final long[] SEGMENT_BYTES = {16 * 1024, 32 * 1024, 64 * 1024};

    private final long seed;
    private final SplittableRandom random;
    private final MemberDir dir;
    private final WalConfig config;
    private final FaultInjectingFileLayer files = new FaultInjectingFileLayer();
    private final CrashModel model = new CrashModel();
    private final StringBuilder story = new StringBuilder();

    CrashRun(long seed, Path root) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
        this.dir = new MemberDir(root.resolve("member"));
        this.config = new WalConfig(SEGMENT_BYTES[random.nextInt(SEGMENT_BYTES.length)], 4096, 1 + random.nextInt(3));
    }

    String story() {
        return story.toString();
    }

    Outcome run() throws Exception {
        boolean threaded = random.nextInt(8) == 0;
        int steps = 5 + random.nextInt(40);
        story.append("segments of ").append(config.segmentBytes()).append(" bytes, ").append(steps).append(" steps")
                .append(threaded ? ", with threaded bursts (batching depends on timing)" : "");
        if (random.nextInt(12) == 0) {
            return crashWhileCreating();
        }
        try (WalStorage storage = WalStorage.createMember(dir, MEMBERS, config, files)) {
            model.submitted("bootstrap", bootstrapChanges()).acked = true;
            long crashAt = random.nextInt(10) == 0 ? Long.MAX_VALUE : 1 + random.nextLong(steps * 3L);
            files.crashAtOperation(crashAt);
            boolean crashed = !new CrashWorkload(random, storage, model, config, threaded).run(steps);
            story.append(crashed ? ", crashed at operation " + crashAt : ", no crash before the power loss")
                    .append(" after ").append(model.opCount()).append(" calls (").append(model.acknowledged())
                    .append(" acknowledged)");
        }
        return recover();
    }

    private List<CrashModel.Change> bootstrapChanges() {
        List<CrashModel.Change> changes = new ArrayList<>();
        dev.consensus.store.raft.ClusterBootstrap.entries(MEMBERS).forEach(e -> changes.add(new CrashModel.Change.Append(e)));
        changes.add(new CrashModel.Change.Hard(dev.consensus.store.raft.ClusterBootstrap.hardState(MEMBERS)));
        return changes;
    }

    private Outcome crashWhileCreating() throws Exception {
        long crashAt = 1 + random.nextInt(8);
        files.crashAtOperation(crashAt);
        boolean created;
        try {
            WalStorage.createMember(dir, MEMBERS, config, files).close();
            created = true;
        } catch (IOException e) {
            created = false;
        }
        files.powerLoss(random);
        story.append(", crash at operation ").append(crashAt).append(" while creating (created: ").append(created)
                .append(")");
        if (created) {
            model.submitted("bootstrap", bootstrapChanges()).acked = true;
        }
        if (WalStorage.exists(dir, files)) {
            model.submitted("bootstrap", bootstrapChanges());
            try (WalStorage storage = WalStorage.open(dir, config, files)) {
                model.check(storage, false);
            }
        } else if (created) {
            throw new AssertionError("a member whose creation returned has no WAL after a power loss");
        } else {
            WalStorage.createMember(dir, MEMBERS, config, files).close();
        }
        return Outcome.CRASHED_WHILE_CREATING;
    }

    private Outcome recover() throws Exception {
        FaultInjectingFileLayer.PowerLoss loss = files.powerLoss(random);
        story.append("; power loss: torn ").append(loss.torn()).append(", vanished ").append(loss.vanished());
        BitFlip flip = random.nextInt(4) == 0 ? files.flipBit(random, filesOnDisk()) : null;
        boolean mustRefuse = flip != null && inIntactRecord(flip);
        if (flip != null) {
            story.append("; bit ").append(flip.bit()).append(" flipped at offset ").append(flip.offset()).append(" of ")
                    .append(flip.file().getFileName()).append(mustRefuse ? " (inside an intact record)" : "");
        }
        WalStorage recovered;
        try {
            recovered = WalStorage.open(dir, config, files);
        } catch (StorageCorruptionException e) {
            if (flip == null) {
                throw new AssertionError("recovery refused although no bit was flipped", e);
            }
            story.append("; refused: ").append(e.getMessage());
            return Outcome.CORRUPTION_REPORTED;
        }
        try (recovered) {
            if (mustRefuse) {
                throw new AssertionError("a flipped bit inside an intact record went unreported");
            }
            model.check(recovered, flip != null);
            boolean torn = recovered.recoveryReport().tailRepair()
                    .filter(r -> r.kind() == TailRepair.Kind.TORN_RECORD).isPresent();
            writeMoreAndRestart(recovered);
            return torn ? Outcome.TORN_TAIL_CUT : Outcome.CLEAN;
        }
    }

    /** The repaired log takes appends, and they are there after one more restart. */
    private void writeMoreAndRestart(WalStorage recovered) throws IOException {
        long first = recovered.firstIndex();
        List<Entry> expected = new ArrayList<>(recovered.entries(first, recovered.lastIndex() + 1, Long.MAX_VALUE));
        long term = Math.max(recovered.hardState().term(), recovered.term(recovered.lastIndex())) + 1;
        List<Entry> more = new ArrayList<>();
        for (int i = 1 + random.nextInt(3); i > 0; i--) {
            byte[] data = new byte[random.nextInt(300)];
            random.nextBytes(data);
            more.add(Entry.normal(recovered.lastIndex() + 1 + more.size(), term, data));
        }
        HardState hardState = new HardState(term, 0, recovered.hardState().commit());
        recovered.save(hardState, more);
        recovered.close();
        expected.addAll(more);
        try (WalStorage again = WalStorage.open(dir, config, files)) {
            if (again.recoveryReport().tailRepair().isPresent() || !again.hardState().equals(hardState)
                    || again.firstIndex() != first
                    || !again.entries(first, again.lastIndex() + 1, Long.MAX_VALUE).equals(expected)) {
                throw new AssertionError("after writing to the recovered log and restarting: " + again.recoveryReport()
                        + ", " + again.hardState() + ", entries " + again.firstIndex() + ".." + again.lastIndex());
            }
        }
    }

    private List<Path> filesOnDisk() throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path d : List.of(dir.wal(), dir.snap())) {
            try (Stream<Path> list = Files.list(d)) {
                list.filter(Files::isRegularFile).sorted().forEach(out::add);
            }
        }
        return out;
    }

    /** A flip inside an intact frame of a segment must always be reported (docs/storage.md). */
    private static boolean inIntactRecord(BitFlip flip) {
        if (!flip.file().getFileName().toString().endsWith(".wal")) {
            return false;
        }
        List<FrameAt> frames = WalFiles.frames(flip.before());
        return !frames.isEmpty() && flip.offset() < frames.getLast().end();
    }

    long seed() {
        return seed;
    }
}
