package dev.consensus.store.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A {@link FileLayer} over real files that remembers what a power loss may keep of each one:
 * its content at the last {@code force()} (durable) and the writes since (pending). It can
 * simulate:
 * <ul>
 *   <li>a crash: from a chosen operation on, every operation fails, as if the machine stopped;</li>
 *   <li>power loss: each file goes back to its durable content plus a random prefix of its
 *       pending writes, the last kept write cut at a random byte (a torn write); a name created
 *       or renamed into a directory since that directory's last fsync may vanish;</li>
 *   <li>a bit flip anywhere in a file;</li>
 *   <li>an fsync that fails.</li>
 * </ul>
 * Simplifications: a deleted file stays deleted, and a renamed file whose new name vanishes
 * does not reappear under its old name (the old names are {@code .tmp} files that recovery
 * deletes anyway). Operations on {@code .tmp} files do not count towards the crash point,
 * because the WAL prepares them on a background thread, whose timing would make the crash point
 * differ between runs of one seed; they still fail once crashed.
 */
final class FaultInjectingFileLayer implements FileLayer {

    /** What one power loss did, for test diagnostics. */
    record PowerLoss(List<String> torn, List<Path> vanished) {}

    /** Where one flipped bit landed, and the file's content before the flip. */
    record BitFlip(Path file, int offset, int bit, byte[] before) {}

    private sealed interface Pending {
        record Write(long position, byte[] bytes) implements Pending {}

        record Truncate(long size) implements Pending {}
    }

    private static final class Tracked {
        Path path;
        byte[] durable;
        final List<Pending> pending = new ArrayList<>();

        Tracked(Path path, byte[] durable) {
            this.path = path;
            this.durable = durable;
        }
    }

    private final RealFileLayer real = new RealFileLayer();
    private final Map<Path, Tracked> files = new TreeMap<>();
    private final Map<Path, Set<Path>> undurableNames = new TreeMap<>();
    private long countedOps;
    private long crashAtOp = Long.MAX_VALUE;
    private boolean crashed;
    private int forcesToFail;
    private long walForces;
    private final Object gate = new Object();
    private boolean forcesHeld;
    private int forcesWaiting;

    /** The machine stops at the {@code op}-th counted operation from now (1 = the next one). */
    synchronized void crashAtOperation(long op) {
        countedOps = 0;
        crashAtOp = op;
    }

    synchronized boolean crashed() {
        return crashed;
    }

    /** The next {@code count} fsyncs of WAL segments fail (with the bytes left unsynced). */
    synchronized void failNextSegmentForces(int count) {
        forcesToFail = count;
    }

    /** How many fsyncs of files named as WAL segments ({@code *.wal}) ran: the appends' fsyncs. */
    synchronized long walForces() {
        return walForces;
    }

    /** From now on, fsyncs of WAL segments wait until {@link #releaseSegmentForces()}. */
    void holdSegmentForces() {
        synchronized (gate) {
            forcesHeld = true;
        }
    }

    void releaseSegmentForces() {
        synchronized (gate) {
            forcesHeld = false;
            gate.notifyAll();
        }
    }

    /** Waits (at most 30 s) until {@code count} segment fsyncs are held. */
    void awaitHeldForces(int count) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        synchronized (gate) {
            while (forcesWaiting < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no fsync reached the gate within 30 s");
                }
                gate.wait(left / 1_000_000 + 1);
            }
        }
    }

    private void passGate() throws IOException {
        synchronized (gate) {
            forcesWaiting++;
            gate.notifyAll();
            try {
                long deadline = System.nanoTime() + 30_000_000_000L;
                while (forcesHeld) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new IOException("a held fsync was not released within 30 s");
                    }
                    gate.wait(left / 1_000_000 + 1);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted at the fsync gate", e);
            } finally {
                forcesWaiting--;
            }
        }
    }

    private void operation(Path path) throws IOException {
        if (crashed) {
            throw new IOException("simulated crash: the machine is down (" + path.getFileName() + ")");
        }
        if (!path.getFileName().toString().endsWith(".tmp") && ++countedOps >= crashAtOp) {
            crashed = true;
            throw new IOException("simulated crash at operation " + countedOps + " (" + path.getFileName() + ")");
        }
    }

    @Override
    public synchronized FileHandle create(Path file) throws IOException {
        operation(file);
        FileHandle handle = real.create(file);
        Tracked t = new Tracked(file, new byte[0]);
        files.put(file, t);
        undurable(file).add(file);
        return new Handle(handle, t);
    }

    @Override
    public synchronized FileHandle open(Path file) throws IOException {
        if (crashed) {
            throw new IOException("simulated crash: the machine is down");
        }
        FileHandle handle = real.open(file);
        Tracked t = files.get(file);
        if (t == null) {
            t = new Tracked(file, handle.readAll());
            files.put(file, t);
        }
        return new Handle(handle, t);
    }

    @Override
    public boolean exists(Path path) {
        return real.exists(path);
    }

    @Override
    public List<Path> list(Path dir) throws IOException {
        return real.list(dir);
    }

    @Override
    public synchronized void delete(Path file) throws IOException {
        operation(file);
        real.delete(file);
        files.remove(file);
        undurable(file).remove(file);
    }

    @Override
    public synchronized void rename(Path from, Path to) throws IOException {
        operation(to);
        real.rename(from, to);
        Tracked t = files.remove(from);
        if (t == null) {
            t = new Tracked(to, Files.readAllBytes(to));
        }
        t.path = to;
        files.put(to, t);
        undurable(from).remove(from);
        undurable(to).add(to);
    }

    @Override
    public synchronized void syncDirectory(Path dir) throws IOException {
        operation(dir);
        real.syncDirectory(dir);
        undurableNames.remove(dir);
    }

    @Override
    public void createDirectories(Path dir) throws IOException {
        real.createDirectories(dir);
    }

    private Set<Path> undurable(Path file) {
        return undurableNames.computeIfAbsent(file.getParent(), d -> new TreeSet<>());
    }

    /**
     * Power goes out: every file keeps its durable content plus a random prefix of its pending
     * writes, and undurable names may vanish. Afterwards the machine is up again.
     */
    synchronized PowerLoss powerLoss(SplittableRandom random) throws IOException {
        List<Path> vanished = new ArrayList<>();
        for (Set<Path> names : undurableNames.values()) {
            for (Path name : names) {
                if (random.nextBoolean()) {
                    Files.deleteIfExists(name);
                    files.remove(name);
                    vanished.add(name);
                }
            }
        }
        undurableNames.clear();
        List<String> torn = new ArrayList<>();
        for (Iterator<Tracked> it = files.values().iterator(); it.hasNext(); ) {
            Tracked t = it.next();
            if (!Files.exists(t.path)) {
                it.remove();
                continue;
            }
            if (t.pending.isEmpty()) {
                continue;
            }
            byte[] content = keepPrefixOfPending(t, random, torn);
            Files.write(t.path, content);
            t.durable = content;
            t.pending.clear();
        }
        crashed = false;
        crashAtOp = Long.MAX_VALUE;
        return new PowerLoss(torn, vanished);
    }

    private static byte[] keepPrefixOfPending(Tracked t, SplittableRandom random, List<String> torn) {
        byte[] content = t.durable.clone();
        int keep = random.nextInt(t.pending.size() + 1);
        for (int i = 0; i < keep; i++) {
            content = apply(content, t.pending.get(i), Integer.MAX_VALUE);
        }
        if (keep < t.pending.size() && t.pending.get(keep) instanceof Pending.Write w && w.bytes().length > 1) {
            int cut = random.nextInt(w.bytes().length);
            content = apply(content, w, cut);
            torn.add(t.path.getFileName() + " write at " + w.position() + " cut after " + cut + " of "
                    + w.bytes().length + " bytes");
        }
        return content;
    }

    private static byte[] apply(byte[] content, Pending op, int maxBytes) {
        return switch (op) {
            case Pending.Write w -> {
                int n = Math.min(maxBytes, w.bytes().length);
                long end = w.position() + n;
                byte[] out = end > content.length ? Arrays.copyOf(content, (int) end) : content;
                System.arraycopy(w.bytes(), 0, out, (int) w.position(), n);
                yield out;
            }
            case Pending.Truncate tr -> Arrays.copyOf(content, (int) Math.min(tr.size(), content.length));
        };
    }

    /** Flips one random bit of one random file among {@code candidates} (durably). */
    synchronized BitFlip flipBit(SplittableRandom random, List<Path> candidates) throws IOException {
        List<Path> nonEmpty = new ArrayList<>();
        for (Path p : candidates) {
            if (Files.size(p) > 0) {
                nonEmpty.add(p);
            }
        }
        Path file = nonEmpty.get(random.nextInt(nonEmpty.size()));
        byte[] before = Files.readAllBytes(file);
        int offset = random.nextInt(before.length);
        int bit = random.nextInt(8);
        byte[] after = before.clone();
        after[offset] ^= (byte) (1 << bit);
        Files.write(file, after);
        Tracked t = files.get(file);
        if (t != null) {
            t.durable = after;
        }
        return new BitFlip(file, offset, bit, before);
    }

    private final class Handle extends ForwardingFileLayer.ForwardingHandle {
        private final Tracked tracked;

        Handle(FileHandle delegate, Tracked tracked) {
            super(delegate);
            this.tracked = tracked;
        }

        @Override
        public void write(ByteBuffer src, long position) throws IOException {
            synchronized (FaultInjectingFileLayer.this) {
                operation(tracked.path);
                byte[] bytes = new byte[src.remaining()];
                src.duplicate().get(bytes);
                super.write(src, position);
                tracked.pending.add(new Pending.Write(position, bytes));
            }
        }

        @Override
        public void force() throws IOException {
            Path path;
            synchronized (FaultInjectingFileLayer.this) {
                path = tracked.path;
            }
            if (isSegment(path)) {
                passGate();
            }
            synchronized (FaultInjectingFileLayer.this) {
                operation(tracked.path);
                boolean segment = isSegment(tracked.path);
                if (segment && forcesToFail > 0) {
                    forcesToFail--;
                    throw new IOException("injected fsync failure on " + tracked.path.getFileName());
                }
                super.force();
                if (segment) {
                    walForces++;
                }
                tracked.durable = readAll();
                tracked.pending.clear();
            }
        }

        @Override
        public void truncate(long size) throws IOException {
            synchronized (FaultInjectingFileLayer.this) {
                operation(tracked.path);
                super.truncate(size);
                tracked.pending.add(new Pending.Truncate(size));
            }
        }
    }

    private static boolean isSegment(Path path) {
        String name = path.getFileName().toString();
        return name.endsWith(".wal");
    }
}
