package dev.consensus.store.raft.sim;

import dev.consensus.store.raft.Entry;
import dev.consensus.store.raft.EntryType;
import dev.consensus.store.raft.ProposeResult;
import dev.consensus.store.raft.ReadState;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Clients as a server's would behave: each writer has one write outstanding and re-proposes it
 * (same id) until some replica applies it; each reader asks for a linearizable read at a random
 * node, serves it once that node has applied the read's index, and asks again on a timeout.
 */
final class Workload {

    private static final long RETRY_MS = 3L * SimParams.ELECTION_MS;

    private record PendingWrite(int client, long writeId) {}

    private static final class PendingRead {
        final int client;
        final long nodeId;
        final int incarnation;
        long index = -1;

        PendingRead(int client, long nodeId, int incarnation) {
            this.client = client;
            this.nodeId = nodeId;
            this.incarnation = incarnation;
        }
    }

    private final Simulation sim;
    private final Map<Long, PendingWrite> writes = new TreeMap<>();
    private final Map<Long, PendingRead> reads = new TreeMap<>();
    private final List<Long> acknowledged = new ArrayList<>();
    private long lastWriteSeq;
    private long lastReadId;
    private boolean issuing = true;

    Workload(Simulation sim) {
        this.sim = sim;
    }

    void start() {
        for (int c = 0; c < sim.params.writeClients(); c++) {
            int client = c;
            sim.events.after(sim.random.nextInt(SimParams.ELECTION_MS), () -> nextWrite(client));
        }
        for (int c = 0; c < sim.params.readClients(); c++) {
            int client = c;
            sim.events.after(sim.random.nextInt(SimParams.ELECTION_MS), () -> nextRead(client));
        }
    }

    void stopIssuing() {
        issuing = false;
    }

    boolean idle() {
        return writes.isEmpty() && reads.isEmpty();
    }

    String describe() {
        return "pending writes " + writes.keySet() + ", pending reads " + reads.keySet();
    }

    // ---- writes ------------------------------------------------------------------------

    private void nextWrite(int client) {
        if (!issuing) {
            return;
        }
        long writeId = ((long) client << 40) | ++lastWriteSeq;
        writes.put(writeId, new PendingWrite(client, writeId));
        submit(writeId);
    }

    private void submit(long writeId) {
        if (!writes.containsKey(writeId)) {
            return;
        }
        SimNode target = sim.randomUpNode();
        ProposeResult result = target == null ? ProposeResult.NO_LEADER : target.raft().propose(payload(writeId));
        if (target != null) {
            sim.afterInput(target);
        }
        boolean inFlight = result == ProposeResult.APPENDED || result == ProposeResult.FORWARDED;
        sim.events.after(inFlight ? RETRY_MS : SimParams.TICK_MS * (1 + sim.random.nextInt(3)), () -> submit(writeId));
    }

    private byte[] payload(long writeId) {
        int size = 8 + sim.random.nextInt(sim.params.maxPayloadBytes());
        ByteBuffer buf = ByteBuffer.allocate(size).putLong(writeId);
        while (buf.hasRemaining()) {
            buf.put((byte) sim.random.nextInt(256));
        }
        return buf.array();
    }

    void applied(SimNode node, Entry e) {
        if (e.type() == EntryType.NORMAL && e.data().length >= 8) {
            PendingWrite done = writes.remove(ByteBuffer.wrap(e.data()).getLong());
            if (done != null) {
                acknowledged.add(done.writeId());
                sim.stats.writesCompleted++;
                sim.events.after(sim.random.nextInt(2 * SimParams.TICK_MS), () -> nextWrite(done.client()));
            }
        }
        progressed(node);
    }

    /** Every write a client saw applied must be in the final state: none was lost. */
    void checkNoAcknowledgedWriteLost(SimNode leader) {
        for (long writeId : acknowledged) {
            if (!leader.app().hasApplied(writeId)) {
                throw new SimulationFailure("CommittedNeverLost", "write " + writeId
                        + " was applied and acknowledged, but the final state of leader " + leader.id() + " lacks it");
            }
        }
    }

    // ---- reads -------------------------------------------------------------------------

    private void nextRead(int client) {
        if (!issuing) {
            return;
        }
        SimNode target = sim.randomUpNode();
        long readId = ++lastReadId;
        sim.checker.readRequested(readId);
        if (target == null || !target.raft().requestRead(readId)) {
            if (target != null) {
                sim.afterInput(target);
            }
            sim.events.after(SimParams.TICK_MS * (1 + sim.random.nextInt(3)), () -> nextRead(client));
            return;
        }
        sim.afterInput(target);
        reads.put(readId, new PendingRead(client, target.id(), target.incarnation()));
        sim.events.after(RETRY_MS, () -> {
            if (reads.remove(readId) != null) {
                nextRead(client);
            }
        });
    }

    void readReleased(SimNode node, ReadState read) {
        PendingRead p = reads.get(read.requestId());
        if (p != null && p.nodeId == node.id() && p.incarnation == node.incarnation()) {
            p.index = read.index();
        }
        progressed(node);
    }

    /** The node applied more: reads waiting there for their index may now be served. */
    void progressed(SimNode node) {
        Iterator<Map.Entry<Long, PendingRead>> it = reads.entrySet().iterator();
        while (it.hasNext()) {
            PendingRead p = it.next().getValue();
            if (p.nodeId == node.id() && p.index >= 0 && p.incarnation == node.incarnation()
                    && node.app() != null && node.app().appliedIndex() >= p.index) {
                it.remove();
                sim.stats.readsCompleted++;
                int client = p.client;
                sim.events.after(sim.random.nextInt(2 * SimParams.TICK_MS), () -> nextRead(client));
            }
        }
    }
}
