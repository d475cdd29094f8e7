package dev.consensus.store.raft.sim;

import dev.consensus.store.raft.Entry;
import dev.consensus.store.raft.MemoryStorage;
import dev.consensus.store.raft.Message;
import dev.consensus.store.raft.RaftConfig;
import dev.consensus.store.raft.RaftLogger;
import dev.consensus.store.raft.RaftNode;
import dev.consensus.store.raft.ReadState;
import dev.consensus.store.raft.Ready;
import dev.consensus.store.raft.Role;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * One simulated member: a disk (a {@link MemoryStorage} that survives crashes), and, while it is
 * up, a core and a state machine (which do not). It does what a server does with each Ready.
 */
public final class SimNode {

    /** How the state machine snapshots: every {@code every} applied entries, keeping {@code retain}. */
    public record SnapshotPolicy(int every, int retain) {}

    private final long id;
    private final RaftConfig config;
    private final MemoryStorage disk;
    private final SnapshotPolicy snapshots;
    private RaftNode raft;
    private SimStateMachine app;
    private int incarnation;

    public SimNode(RaftConfig config, MemoryStorage disk, SnapshotPolicy snapshots) {
        this.id = config.id();
        this.config = config;
        this.disk = disk;
        this.snapshots = snapshots;
    }

    public void start(RandomGenerator random, RaftLogger logger) {
        raft = new RaftNode(config, disk, random, logger);
        app = SimStateMachine.fromSnapshot(disk.snapshot());
        incarnation++;
    }

    /** Loses everything not on disk. */
    public void crash() {
        raft = null;
        app = null;
        incarnation++;
    }

    public boolean isUp() {
        return raft != null;
    }

    public long id() {
        return id;
    }

    public RaftNode raft() {
        return raft;
    }

    public SimStateMachine app() {
        return app;
    }

    public MemoryStorage disk() {
        return disk;
    }

    /** Changes with every start and crash, so events scheduled for an earlier life can be told apart. */
    public int incarnation() {
        return incarnation;
    }

    public boolean isLeader() {
        return raft != null && raft.role() == Role.LEADER;
    }

    /** The node leading at the highest term among those that are up, or {@code null}. */
    public static SimNode leaderOf(Iterable<SimNode> nodes) {
        SimNode best = null;
        for (SimNode n : nodes) {
            if (n.isLeader() && (best == null || n.raft().term() > best.raft().term())) {
                best = n;
            }
        }
        return best;
    }

    /**
     * Does one Ready the way a server must: persist, send, install and apply, advance. With
     * {@code crashAfterSending}, a leader's messages go out and the node dies before its own
     * disk write, which thesis 10.2.1 says is safe.
     *
     * @return the messages to send
     */
    public List<Message> processReady(ReadyObserver observer, boolean crashAfterSending) {
        Ready rd = raft.ready();
        if (crashAfterSending && rd.messagesMayPrecedePersist()) {
            crash();
            return rd.messages();
        }
        if (rd.snapshot() != null) {
            disk.applySnapshot(rd.snapshot());
        }
        if (!rd.entries().isEmpty()) {
            disk.append(rd.entries());
            observer.persisted(this, rd.entries());
        }
        if (rd.hardState() != null) {
            disk.setHardState(rd.hardState());
            observer.hardStatePersisted(this, rd.hardState());
        }
        if (rd.snapshot() != null) {
            app = SimStateMachine.fromSnapshot(rd.snapshot());
            observer.snapshotInstalled(this, rd.snapshot());
        }
        for (Entry e : rd.committedEntries()) {
            app.apply(e);
            observer.applied(this, e);
        }
        maybeSnapshot();
        for (ReadState read : rd.readStates()) {
            observer.readReleased(this, read);
        }
        raft.advance();
        if (raft.role() == Role.LEADER) {
            observer.leaderPersisted(this);
        }
        return rd.messages();
    }

    private void maybeSnapshot() {
        long applied = app.appliedIndex();
        if (applied - disk.snapshot().index() < snapshots.every()) {
            return;
        }
        disk.createSnapshot(applied, app.conf(), app.encode());
        disk.compact(Math.max(disk.firstIndex() - 1, applied - snapshots.retain()));
    }
}
