package dev.consensus.store.storage;

import dev.consensus.store.raft.ConfState;
import dev.consensus.store.raft.Entry;
import dev.consensus.store.raft.HardState;
import dev.consensus.store.raft.LogReader;
import dev.consensus.store.raft.MemoryStorage;
import dev.consensus.store.raft.Snapshot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the crash test wrote, in the order the storage received it, and which writes were
 * acknowledged. After a crash the recovered storage must equal the acknowledged writes plus a
 * prefix (possibly empty) of the changes of the unacknowledged ones, in order: the WAL is one
 * stream, and a crash keeps a prefix of what was not yet fsynced. That single rule says every
 * acknowledged entry is there with its bytes, the hard state is at least the last acknowledged
 * one, and nothing was invented.
 */
final class CrashModel {

    /** One change as the WAL records it. */
    sealed interface Change {
        record Append(Entry entry) implements Change {}

        record Hard(HardState hardState) implements Change {}

        record Taken(long index, ConfState conf, byte[] data) implements Change {}

        record Installed(Snapshot snapshot) implements Change {}
    }

    /** One call on the storage, with its changes in WAL order. */
    static final class Op {
        final String label;
        final List<Change> changes;
        volatile boolean acked;

        Op(String label, List<Change> changes) {
            this.label = label;
            this.changes = List.copyOf(changes);
        }
    }

    private final List<Op> ops = new ArrayList<>();
    private final Map<Long, List<Snapshot>> snapshotsByIndex = new HashMap<>();

    synchronized Op submitted(String label, List<Change> changes) {
        Op op = new Op(label, changes);
        ops.add(op);
        return op;
    }

    synchronized int opCount() {
        return ops.size();
    }

    synchronized long acknowledged() {
        return ops.stream().filter(o -> o.acked).count();
    }

    /**
     * Checks {@code recovered}. With {@code snapshotMayBeOlder} (a bit flip may have hit a snapshot
     * file) the storage may restart from an older snapshot the test took, with the log after it.
     *
     * @throws AssertionError explaining the first mismatch
     */
    synchronized void check(LogReader recovered, boolean snapshotMayBeOlder) {
        checkConsistent(recovered);
        int firstUnacked = 0;
        while (firstUnacked < ops.size() && ops.get(firstUnacked).acked) {
            firstUnacked++;
        }
        for (int i = firstUnacked; i < ops.size(); i++) {
            if (ops.get(i).acked) {
                throw new AssertionError("op " + i + " (" + ops.get(i).label + ") was acknowledged before op "
                        + firstUnacked + " (" + ops.get(firstUnacked).label + "), which was submitted earlier");
            }
        }
        MemoryStorage candidate = new MemoryStorage(Snapshot.EMPTY);
        for (int i = 0; i < firstUnacked; i++) {
            ops.get(i).changes.forEach(c -> apply(candidate, c));
        }
        String acknowledgedMismatch = mismatch(recovered, candidate, snapshotMayBeOlder);
        if (acknowledgedMismatch == null) {
            return;
        }
        int tried = 0;
        for (int i = firstUnacked; i < ops.size(); i++) {
            for (Change c : ops.get(i).changes) {
                apply(candidate, c);
                tried++;
                if (mismatch(recovered, candidate, snapshotMayBeOlder) == null) {
                    return;
                }
            }
        }
        throw new AssertionError("the recovered storage is not the acknowledged writes (" + firstUnacked + " of "
                + ops.size() + " calls) plus a prefix of the " + tried + " changes after them; against the "
                + "acknowledged state: " + acknowledgedMismatch + "; " + describe(recovered));
    }

    private void apply(MemoryStorage storage, Change change) {
        switch (change) {
            case Change.Append a -> storage.append(List.of(a.entry()));
            case Change.Hard h -> storage.setHardState(h.hardState());
            case Change.Taken t -> {
                storage.createSnapshot(t.index(), t.conf(), t.data());
                remember(storage.snapshot());
            }
            case Change.Installed i -> {
                storage.applySnapshot(i.snapshot());
                remember(i.snapshot());
            }
        }
    }

    private void remember(Snapshot snapshot) {
        snapshotsByIndex.computeIfAbsent(snapshot.index(), k -> new ArrayList<>()).add(snapshot);
    }

    private String mismatch(LogReader recovered, MemoryStorage expected, boolean snapshotMayBeOlder) {
        if (!recovered.hardState().equals(expected.hardState())) {
            return "hard state " + recovered.hardState() + ", expected " + expected.hardState();
        }
        Snapshot rs = recovered.snapshot();
        Snapshot es = expected.snapshot();
        boolean older = snapshotMayBeOlder && rs.index() < es.index();
        if (older ? !wasTaken(rs) : !sameSnapshot(rs, es)) {
            return "snapshot " + rs + ", expected " + es;
        }
        if (recovered.lastIndex() != expected.lastIndex()) {
            return "last index " + recovered.lastIndex() + ", expected " + expected.lastIndex();
        }
        long first = recovered.firstIndex();
        if (first < expected.firstIndex()) {
            return "first index " + first + " reaches before the expected log's " + expected.firstIndex();
        }
        if (first <= recovered.lastIndex()) {
            List<Entry> got = recovered.entries(first, recovered.lastIndex() + 1, Long.MAX_VALUE);
            List<Entry> want = expected.entries(first, expected.lastIndex() + 1, Long.MAX_VALUE);
            for (int i = 0; i < want.size(); i++) {
                if (!got.get(i).equals(want.get(i))) {
                    return "entry " + want.get(i).index() + " is " + got.get(i) + ", expected " + want.get(i);
                }
            }
        }
        if (rs.index() >= expected.firstIndex() - 1 && rs.index() <= expected.lastIndex()
                && expected.term(rs.index()) != rs.term()) {
            return "the snapshot's term " + rs.term() + " differs from the log's " + expected.term(rs.index());
        }
        return null;
    }

    private static boolean sameSnapshot(Snapshot a, Snapshot b) {
        return a.metadata().equals(b.metadata()) && Arrays.equals(a.data(), b.data());
    }

    private boolean wasTaken(Snapshot s) {
        return s.isEmpty() || snapshotsByIndex.getOrDefault(s.index(), List.of()).stream().anyMatch(t -> sameSnapshot(s, t));
    }

    /** The log on its own: consecutive indexes, terms that never fall, starting after the snapshot. */
    private static void checkConsistent(LogReader r) {
        Snapshot s = r.snapshot();
        if (r.firstIndex() != s.index() + 1) {
            throw new AssertionError("first index " + r.firstIndex() + " is not right after the snapshot at " + s.index());
        }
        if (r.term(s.index()) != s.term()) {
            throw new AssertionError("term at the snapshot index is " + r.term(s.index()) + ", not " + s.term());
        }
        long prevTerm = s.term();
        long expectedIndex = r.firstIndex();
        for (Entry e : r.entries(r.firstIndex(), r.lastIndex() + 1, Long.MAX_VALUE)) {
            if (e.index() != expectedIndex++ || e.term() < prevTerm) {
                throw new AssertionError("inconsistent log at entry " + e + " after term " + prevTerm);
            }
            prevTerm = e.term();
        }
    }

    private static String describe(LogReader r) {
        return "recovered: " + r.hardState() + ", " + r.snapshot() + ", entries " + r.firstIndex() + ".." + r.lastIndex();
    }
}
