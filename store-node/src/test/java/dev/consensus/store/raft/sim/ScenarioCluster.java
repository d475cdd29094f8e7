package dev.consensus.store.raft.sim;

import dev.consensus.store.raft.ConfChange;
import dev.consensus.store.raft.ConfChangeType;
import dev.consensus.store.raft.ConfState;
import dev.consensus.store.raft.Entry;
import dev.consensus.store.raft.MemoryStorage;
import dev.consensus.store.raft.Message;
import dev.consensus.store.raft.NodeStatus;
import dev.consensus.store.raft.ProposeResult;
import dev.consensus.store.raft.RaftConfig;
import dev.consensus.store.raft.RaftLogger;
import dev.consensus.store.raft.Role;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;

/**
 * A cluster of named members in virtual time, for narrated scenarios: a tick is 100 ms and the
 * election timeout ten ticks (etcd's defaults), messages take a few milliseconds, and nothing is
 * lost unless a member is cut off. Members' ids derive from their names, as etcd derives them
 * from a member's URLs. What the cores log is printed with the virtual time.
 */
final class ScenarioCluster implements ReadyObserver {

    static final int TICK_MS = 100;

    private final PrintStream out;
    private final SplittableRandom random;
    private final EventQueue events = new EventQueue();
    private final SimNetwork network;
    private final Map<Long, SimNode> nodes = new LinkedHashMap<>();
    private final Map<Long, String> names = new LinkedHashMap<>();
    private final java.util.Set<Long> processScheduled = new java.util.HashSet<>();

    ScenarioCluster(PrintStream out, long seed) {
        this.out = out;
        this.random = new SplittableRandom(seed);
        this.network = new SimNetwork(random, new SimNetwork.Weather(0, 0, 5, 0, 0));
    }

    static long idOf(String name) {
        long h = 0xcbf29ce484222325L;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ b) * 0x100000001b3L;
        }
        h = (h ^ (h >>> 33)) * 0xFF51AFD7ED558CCDL;
        h = (h ^ (h >>> 33)) * 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return h == 0 ? 1 : h;
    }

    String name(long id) {
        return names.getOrDefault(id, Long.toHexString(id));
    }

    SimNode node(String name) {
        return nodes.get(idOf(name));
    }

    // ---- members -----------------------------------------------------------------------

    /** Starts a new cluster of these voters. */
    void bootstrap(String... voterNames) {
        TreeSet<Long> voters = new TreeSet<>();
        for (String n : voterNames) {
            voters.add(idOf(n));
        }
        ConfState initial = new ConfState(voters, java.util.Set.of());
        for (String n : voterNames) {
            start(n, MemoryStorage.bootstrap(initial));
        }
    }

    /** Starts a member with empty storage, to be added by a membership change. */
    void startJoining(String name) {
        start(name, MemoryStorage.joining());
    }

    private void start(String name, MemoryStorage disk) {
        long id = idOf(name);
        names.put(id, name);
        SimNode n = new SimNode(RaftConfig.defaults(id), disk, new SimNode.SnapshotPolicy(10_000, 5_000));
        nodes.put(id, n);
        say("%s (%s) starts", name, Long.toHexString(id));
        n.start(new SplittableRandom(random.nextLong()), logger());
        int life = n.incarnation();
        scheduleTick(n, life, 1 + random.nextInt(TICK_MS));
    }

    private void scheduleTick(SimNode n, int life, long delayMs) {
        events.after(delayMs, () -> {
            if (n.incarnation() == life && n.isUp()) {
                n.raft().tick();
                processSoon(n);
                scheduleTick(n, life, TICK_MS);
            }
        });
    }

    // ---- clients -----------------------------------------------------------------------

    /** A client writes through the leader; returns the index the write took. */
    long put(String keyValue) {
        SimNode leader = leader();
        ProposeResult r = leader.raft().propose(keyValue.getBytes(StandardCharsets.UTF_8));
        long index = leader.raft().lastIndex();
        say("client: put %s via %s -> %s at index %d", keyValue, name(leader.id()), r, index);
        processSoon(leader);
        return index;
    }

    void changeMembership(ConfChangeType type, String member) {
        SimNode leader = leader();
        ProposeResult r = leader.raft().proposeConfChange(new ConfChange(type, idOf(member)));
        say("operator: %s %s via %s -> %s", type.name().toLowerCase().replace('_', ' '), member,
                name(leader.id()), r);
        processSoon(leader);
    }

    // ---- the network -------------------------------------------------------------------

    void isolate(String name) {
        long id = idOf(name);
        for (long other : nodes.keySet()) {
            if (other != id) {
                network.cut(id, other);
                network.cut(other, id);
            }
        }
        say("network: %s is cut off from every other member", name);
    }

    void heal() {
        network.healAll();
        say("network: all links restored");
    }

    // ---- time --------------------------------------------------------------------------

    void runFor(long ms) {
        events.runUntil(events.now() + ms);
    }

    /** Runs until {@code condition} holds (checked every millisecond), at most {@code maxMs}. */
    long runUntil(BooleanSupplier condition, long maxMs) {
        long began = events.now();
        while (!condition.getAsBoolean()) {
            if (events.now() - began >= maxMs) {
                throw new IllegalStateException("not reached within " + maxMs + "ms");
            }
            events.runUntil(events.now() + 1);
        }
        return events.now() - began;
    }

    SimNode leader() {
        return SimNode.leaderOf(nodes.values());
    }

    boolean appliedEverywhere(long index, String... members) {
        for (String m : members) {
            SimNode n = node(m);
            if (!n.isUp() || n.app().appliedIndex() < index) {
                return false;
            }
        }
        return true;
    }

    // ---- the machinery -----------------------------------------------------------------

    private void processSoon(SimNode n) {
        if (processScheduled.add(n.id())) {
            int life = n.incarnation();
            events.after(1 + random.nextInt(2), () -> {
                processScheduled.remove(n.id());
                while (n.incarnation() == life && n.isUp() && n.raft().hasReady()) {
                    send(n.processReady(this, false));
                }
            });
        }
    }

    private void send(List<Message> messages) {
        for (Message m : messages) {
            if (network.isCut(m.from(), m.to())) {
                continue;
            }
            events.after(network.delayMs(), () -> {
                SimNode to = nodes.get(m.to());
                if (to != null && to.isUp() && !network.isCut(m.from(), m.to())) {
                    to.raft().step(m);
                    processSoon(to);
                    if (m instanceof Message.InstallSnapshot && nodes.get(m.from()).isUp()) {
                        nodes.get(m.from()).raft().reportSnapshot(m.to(), true);
                    }
                }
            });
        }
    }

    @Override
    public void applied(SimNode node, Entry entry) {}

    // ---- narration ---------------------------------------------------------------------

    void heading(String text) {
        out.println();
        out.println("== " + text);
    }

    void say(String format, Object... args) {
        out.printf("%9.3fs  %s%n", events.now() / 1000.0, String.format(format, args));
    }

    private RaftLogger logger() {
        return new RaftLogger() {
            @Override
            public boolean isEnabled(Level level) {
                return level != Level.DEBUG;
            }

            @Override
            public void log(Level level, String message) {
                out.printf("%9.3fs  raft: %s%n", events.now() / 1000.0, message);
            }
        };
    }

    /** The columns of {@code etcdctl endpoint status -w table} that the core knows. */
    void printStatusTable() {
        out.println();
        out.println("+----------+------------------+-----------+------------+-----------+------------+--------------------+");
        out.println("|   NAME   |        ID        | IS LEADER | IS LEARNER | RAFT TERM | RAFT INDEX | RAFT APPLIED INDEX |");
        out.println("+----------+------------------+-----------+------------+-----------+------------+--------------------+");
        for (SimNode n : nodes.values()) {
            if (!n.isUp()) {
                continue;
            }
            NodeStatus s = n.raft().status();
            out.printf("| %-8s | %16s | %9s | %10s | %9d | %10d | %18d |%n", name(n.id()), Long.toHexString(n.id()),
                    s.role() == Role.LEADER, s.config().isLearner(n.id()), s.term(), s.lastIndex(),
                    n.app().appliedIndex());
        }
        out.println("+----------+------------------+-----------+------------+-----------+------------+--------------------+");
    }
}
