package dev.consensus.store.raft;

import dev.consensus.store.raft.sim.ReadyObserver;
import dev.consensus.store.raft.sim.SimNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * A small cluster for scenario tests, driven step by step and synchronously: nothing happens
 * until a test ticks, campaigns, proposes or delivers. Each member is a {@link SimNode} (a disk
 * that survives {@link #crash}, a core and a state machine that do not). Messages wait in one
 * queue until {@link #deliverAll()} or {@link #stabilize()}; cut links and drop rules lose them.
 */
final class TestCluster {

    private final Map<Long, SimNode> nodes = new TreeMap<>();
    private final Map<Long, List<Entry>> applied = new TreeMap<>();
    private final Map<Long, List<ReadState>> reads = new TreeMap<>();
    private final Deque<Message> inFlight = new ArrayDeque<>();
    private final List<Message> dropped = new ArrayList<>();
    private final Set<Long> cuts = new HashSet<>();
    private final List<Predicate<Message>> dropRules = new ArrayList<>();
    private final UnaryOperator<RaftConfig> tune;
    private final SimNode.SnapshotPolicy snapshots;
    private final SplittableRandom random = new SplittableRandom(42);

    private TestCluster(UnaryOperator<RaftConfig> tune, SimNode.SnapshotPolicy snapshots) {
        this.tune = tune;
        this.snapshots = snapshots;
    }

    /** Voters with etcd's defaults (election 10 ticks, heartbeat 1, pre-vote and check-quorum on). */
    static TestCluster of(long... voters) {
        return builder().voters(voters).build();
    }

    static Builder builder() {
        return new Builder();
    }

    static final class Builder {
        private final Set<Long> voters = new java.util.TreeSet<>();
        private final Set<Long> learners = new java.util.TreeSet<>();
        private UnaryOperator<RaftConfig> tune = c -> c;
        private SimNode.SnapshotPolicy snapshots = new SimNode.SnapshotPolicy(Integer.MAX_VALUE, 0);

        Builder voters(long... ids) {
            for (long id : ids) {
                voters.add(id);
            }
            return this;
        }

        Builder learners(long... ids) {
            for (long id : ids) {
                learners.add(id);
            }
            return this;
        }

        /** Changes every member's configuration, e.g. {@code c -> c.withPreVote(false)}. */
        Builder config(UnaryOperator<RaftConfig> tune) {
            this.tune = tune;
            return this;
        }

        /** The state machine snapshots every {@code every} applied entries and keeps {@code retain}. */
        Builder snapshotEvery(int every, int retain) {
            this.snapshots = new SimNode.SnapshotPolicy(every, retain);
            return this;
        }

        TestCluster build() {
            TestCluster c = new TestCluster(tune, snapshots);
            ConfState initial = new ConfState(voters, learners);
            for (long id : initial.members()) {
                c.add(id, MemoryStorage.bootstrap(initial));
            }
            c.processAll();
            return c;
        }
    }

    // ---- members -----------------------------------------------------------------------

    private void add(long id, MemoryStorage disk) {
        SimNode n = new SimNode(tune.apply(RaftConfig.defaults(id)), disk, snapshots);
        nodes.put(id, n);
        applied.put(id, new ArrayList<>());
        reads.put(id, new ArrayList<>());
        n.start(new SplittableRandom(random.nextLong()), RaftLogger.DISCARD);
    }

    /** Starts a node with empty storage that will join through a membership change. */
    void addJoining(long id) {
        add(id, MemoryStorage.joining());
    }

    RaftNode node(long id) {
        SimNode n = nodes.get(id);
        if (n == null || !n.isUp()) {
            throw new IllegalStateException("node " + id + " is not running");
        }
        return n.raft();
    }

    MemoryStorage storage(long id) {
        return nodes.get(id).disk();
    }

    /** The entries this node applied since it last started, in order. */
    List<Entry> applied(long id) {
        return applied.get(id);
    }

    /** The application data (normal, non-empty entries) this node applied, as strings. */
    List<String> appliedData(long id) {
        List<String> out = new ArrayList<>();
        for (Entry e : applied.get(id)) {
            if (e.type() == EntryType.NORMAL && e.data().length > 0) {
                out.add(new String(e.data(), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    /** The reads released to this node so far. */
    List<ReadState> readStates(long id) {
        return reads.get(id);
    }

    /** Loses everything but the disk; queued messages to the node are lost when delivered. */
    void crash(long id) {
        nodes.get(id).crash();
    }

    void restart(long id) {
        SimNode n = nodes.get(id);
        applied.get(id).clear();
        n.start(new SplittableRandom(random.nextLong()), RaftLogger.DISCARD);
    }

    boolean isUp(long id) {
        return nodes.get(id).isUp();
    }

    /** The node leading at the highest term, or {@link RaftNode#NONE}. */
    long leader() {
        SimNode leader = SimNode.leaderOf(nodes.values());
        return leader == null ? RaftNode.NONE : leader.id();
    }

    // ---- inputs ------------------------------------------------------------------------

    /** {@code id} campaigns, and the cluster runs until nothing more happens. */
    TestCluster elect(long id) {
        node(id).campaign();
        stabilize();
        return this;
    }

    ProposeResult propose(long id, String data) {
        return node(id).propose(data.getBytes(StandardCharsets.UTF_8));
    }

    ProposeResult proposeConfChange(long id, ConfChangeType type, long member) {
        return node(id).proposeConfChange(new ConfChange(type, member));
    }

    /** Ticks every running node once, processes, and delivers; {@code n} times. */
    void tickAll(int n) {
        for (int i = 0; i < n; i++) {
            for (SimNode node : nodes.values()) {
                if (node.isUp()) {
                    node.raft().tick();
                }
            }
            stabilize();
        }
    }

    void tick(long id, int n) {
        for (int i = 0; i < n; i++) {
            node(id).tick();
        }
    }

    /** Ticks one node alone (its messages stay queued) until it leaves the follower role. */
    int ticksUntilCampaign(long id) {
        for (int ticks = 1; ticks <= 1000; ticks++) {
            tick(id, 1);
            if (node(id).role() != Role.FOLLOWER) {
                return ticks;
            }
        }
        throw new AssertionError("node " + id + " never campaigned");
    }

    // ---- the network -------------------------------------------------------------------

    /** Cuts both directions between {@code id} and every other node. */
    void isolate(long id) {
        for (long other : nodes.keySet()) {
            if (other != id) {
                cut(id, other);
                cut(other, id);
            }
        }
    }

    void cut(long from, long to) {
        cuts.add(link(from, to));
    }

    void heal() {
        cuts.clear();
        dropRules.clear();
    }

    /** Loses every message matching {@code rule} until {@link #heal()}. */
    void drop(Predicate<Message> rule) {
        dropRules.add(rule);
    }

    /** Messages lost so far to cuts, drop rules or crashed receivers. */
    List<Message> dropped() {
        return dropped;
    }

    /** Processes every node's Ready, queueing what they send; returns the messages queued. */
    List<Message> processAll() {
        List<Message> sent = new ArrayList<>();
        boolean any = true;
        while (any) {
            any = false;
            for (SimNode n : nodes.values()) {
                while (n.isUp() && n.raft().hasReady()) {
                    any = true;
                    List<Message> out = n.processReady(observer, false);
                    sent.addAll(out);
                    inFlight.addAll(out);
                }
            }
        }
        return sent;
    }

    /** Takes the queued messages out without delivering them, for a test to inspect or reorder. */
    List<Message> takeInFlight() {
        List<Message> out = new ArrayList<>(inFlight);
        inFlight.clear();
        return out;
    }

    /** Delivers one message now (cuts and drop rules apply). */
    void deliver(Message m) {
        SimNode to = nodes.get(m.to());
        if (to == null || !to.isUp() || cuts.contains(link(m.from(), m.to()))
                || dropRules.stream().anyMatch(r -> r.test(m))) {
            dropped.add(m);
            if (m instanceof Message.InstallSnapshot && nodes.get(m.from()).isUp()) {
                nodes.get(m.from()).raft().reportSnapshot(m.to(), false);
            }
            return;
        }
        to.raft().step(m);
        if (m instanceof Message.InstallSnapshot && nodes.get(m.from()).isUp()) {
            nodes.get(m.from()).raft().reportSnapshot(m.to(), true);
        }
    }

    /** Delivers what is queued now (not what that causes). */
    void deliverAll() {
        List<Message> batch = takeInFlight();
        for (Message m : batch) {
            deliver(m);
        }
    }

    /** Processes and delivers until the cluster is quiet; returns every message sent meanwhile. */
    List<Message> stabilize() {
        List<Message> sent = new ArrayList<>();
        for (int round = 0; round < 10_000; round++) {
            sent.addAll(processAll());
            if (inFlight.isEmpty()) {
                return sent;
            }
            deliverAll();
        }
        throw new IllegalStateException("cluster did not quiesce in 10000 rounds");
    }

    private final ReadyObserver observer = new ReadyObserver() {
        @Override
        public void applied(SimNode node, Entry entry) {
            applied.get(node.id()).add(entry);
        }

        @Override
        public void readReleased(SimNode node, ReadState read) {
            reads.get(node.id()).add(read);
        }
    };

    private static long link(long from, long to) {
        return (from << 32) ^ to;
    }

    /** Each member's term, role and commit index, for assertion messages. */
    Map<Long, String> describe() {
        Map<Long, String> out = new LinkedHashMap<>();
        nodes.forEach((id, n) -> out.put(id, n.isUp()
                ? n.raft().role() + " term=" + n.raft().term() + " commit=" + n.raft().commitIndex()
                        + " last=" + n.raft().lastIndex() + " " + n.raft().config()
                : "down"));
        return out;
    }
}
