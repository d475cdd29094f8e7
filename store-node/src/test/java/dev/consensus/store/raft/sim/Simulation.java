package dev.consensus.store.raft.sim;

import dev.consensus.store.raft.ConfChange;
import dev.consensus.store.raft.ConfChangeType;
import dev.consensus.store.raft.ConfState;
import dev.consensus.store.raft.Entry;
import dev.consensus.store.raft.EntryType;
import dev.consensus.store.raft.HardState;
import dev.consensus.store.raft.MemoryStorage;
import dev.consensus.store.raft.Message;
import dev.consensus.store.raft.RaftConfig;
import dev.consensus.store.raft.RaftLogger;
import dev.consensus.store.raft.ReadState;
import dev.consensus.store.raft.Snapshot;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * One seeded run of a whole cluster in virtual time: a safety phase with faults, checked after
 * every step, then a liveness phase without faults in which the cluster must elect a leader and
 * finish every pending request within a bound. The seed decides everything, so a failing run
 * replays exactly.
 */
public final class Simulation implements ReadyObserver {

    final SimParams params;
    final SplittableRandom random;
    final EventQueue events = new EventQueue();
    final TreeMap<Long, SimNode> nodes = new TreeMap<>();
    final Set<Long> decommissioned = new HashSet<>();
    final SimNetwork network;
    final SafetyChecker checker;
    final Workload workload;
    final Faults faults;
    final MembershipDriver membership;
    final Probes probes;
    final SimStats stats = new SimStats();
    private final Set<Long> processScheduled = new HashSet<>();
    private final PrintStream trace;
    boolean chaos = true;
    private long nextNodeId = 1;
    private long lastConfChangeCounted;

    Simulation(SimParams params, PrintStream trace) {
        this.params = params;
        this.random = new SplittableRandom(params.seed());
        this.trace = trace;
        this.network = new SimNetwork(random, params.chaosWeather());
        this.checker = new SafetyChecker(nodes);
        this.workload = new Workload(this);
        this.faults = new Faults(this);
        this.membership = new MembershipDriver(this);
        this.probes = new Probes(this);
    }

    /** Runs {@code seed}; with {@code trace}, narrates every decision the nodes log. */
    public static SimulationResult run(long seed, PrintStream trace) {
        return new Simulation(SimParams.fromSeed(seed), trace).run();
    }

    SimulationResult run() {
        try {
            bootstrap();
            events.runUntil(params.safetyMs());
            liveness();
            return SimulationResult.passed(params, stats, events).withCounts(checker.leadersElected(),
                    checker.maxCommitted());
        } catch (SimulationFailure f) {
            return SimulationResult.failed(params, stats, events, f).withCounts(checker.leadersElected(),
                    checker.maxCommitted());
        } catch (RuntimeException e) {
            return SimulationResult.failed(params, stats, events, new SimulationFailure("NoUnexpectedException",
                    e + " at " + e.getStackTrace()[0])).withCounts(checker.leadersElected(), checker.maxCommitted());
        }
    }

    private void bootstrap() {
        List<Long> voters = new ArrayList<>();
        List<Long> learners = new ArrayList<>();
        for (int i = 0; i < params.voters(); i++) {
            voters.add(nextNodeId++);
        }
        for (int i = 0; i < params.initialLearners(); i++) {
            learners.add(nextNodeId++);
        }
        ConfState initial = new ConfState(Set.copyOf(voters), Set.copyOf(learners));
        for (long id = 1; id < nextNodeId; id++) {
            SimNode n = new SimNode(raftConfig(id), MemoryStorage.bootstrap(initial), params.snapshots());
            nodes.put(id, n);
            start(n);
        }
        workload.start();
        faults.start();
        membership.start();
        probes.start();
    }

    private RaftConfig raftConfig(long id) {
        return RaftConfig.defaults(id)
                .withElectionTimeoutTicks(SimParams.ELECTION_TICKS)
                .withHeartbeatIntervalTicks(SimParams.HEARTBEAT_TICKS)
                .withFlowControl(params.maxBytesPerMessage(), params.maxInflightMessages(), 64L * 1024);
    }

    /** A new node that will join through a membership change; it starts knowing nothing. */
    SimNode addJoiningNode() {
        long id = nextNodeId++;
        SimNode n = new SimNode(raftConfig(id), MemoryStorage.joining(), params.snapshots());
        nodes.put(id, n);
        start(n);
        return n;
    }

    // ---- node lifecycle ----------------------------------------------------------------

    void start(SimNode n) {
        n.start(new SplittableRandom(random.nextLong()), loggerFor(n.id()));
        int life = n.incarnation();
        scheduleTick(n, life, random.nextInt(SimParams.TICK_MS));
        checker.observe(n);
        processSoon(n);
    }

    void crash(SimNode n) {
        if (n.isUp()) {
            n.crash();
            stats.crashes++;
            trace("node %d crashed", n.id());
        }
    }

    void restartLater(SimNode n, long delayMs) {
        events.after(delayMs, () -> {
            if (!n.isUp() && !decommissioned.contains(n.id())) {
                trace("node %d restarted", n.id());
                start(n);
            }
        });
    }

    /** The node leaves for good, as a server does once it has been removed from the cluster. */
    void decommission(long id) {
        SimNode n = nodes.get(id);
        if (n != null && decommissioned.add(id)) {
            trace("node %d decommissioned", id);
            n.crash();
        }
    }

    private void scheduleTick(SimNode n, int life, long delayMs) {
        events.after(delayMs, () -> {
            if (n.incarnation() != life || !n.isUp()) {
                return;
            }
            n.raft().tick();
            afterInput(n);
            scheduleTick(n, life, SimParams.TICK_MS);
        });
    }

    /** Every input is followed by the checks and, soon after, by processing what it produced. */
    void afterInput(SimNode n) {
        checker.observe(n);
        processSoon(n);
    }

    private void processSoon(SimNode n) {
        if (processScheduled.add(n.id())) {
            int life = n.incarnation();
            events.after(random.nextInt(3), () -> process(n, life));
        }
    }

    private void process(SimNode n, int life) {
        processScheduled.remove(n.id());
        if (n.incarnation() != life || !n.isUp()) {
            return;
        }
        for (int round = 0; round < 4 && n.isUp() && n.raft().hasReady(); round++) {
            boolean crashAfterSending = chaos && random.nextDouble() < params.crashAfterSendRate();
            List<Message> out = n.processReady(this, crashAfterSending);
            send(n.id(), out);
            if (!n.isUp()) {
                stats.crashes++;
                trace("node %d crashed after sending, before its disk write", n.id());
                restartLater(n, SimParams.ELECTION_MS * (1 + random.nextInt(5)));
                return;
            }
            checker.observe(n);
        }
        if (n.isUp() && n.raft().hasReady()) {
            processSoon(n);
        }
    }

    // ---- the network -------------------------------------------------------------------

    private void send(long from, List<Message> messages) {
        SimNode sender = nodes.get(from);
        for (Message m : messages) {
            stats.messagesSent++;
            checker.messageSent(sender, m);
            if (network.isCut(from, m.to()) || network.drops()) {
                dropped(m);
                continue;
            }
            deliverLater(m, network.delayMs());
            if (network.duplicates()) {
                deliverLater(m, network.delayMs());
            }
        }
    }

    private void deliverLater(Message m, long delayMs) {
        long epoch = network.epoch();
        events.after(delayMs, () -> {
            SimNode to = nodes.get(m.to());
            if (epoch != network.epoch() || to == null || !to.isUp() || network.isCut(m.from(), m.to())) {
                dropped(m);
                return;
            }
            if (m instanceof Message.InstallSnapshot) {
                stats.snapshotsDelivered++;
            }
            to.raft().step(m);
            afterInput(to);
            if (m instanceof Message.InstallSnapshot) {
                report(m.from(), n -> n.raft().reportSnapshot(m.to(), true));
            }
        });
    }

    private void dropped(Message m) {
        if (m instanceof Message.InstallSnapshot) {
            report(m.from(), n -> n.raft().reportSnapshot(m.to(), false));
        } else if (network.isCut(m.from(), m.to()) && random.nextInt(4) == 0) {
            report(m.from(), n -> n.raft().reportUnreachable(m.to()));
        }
    }

    /** What the transport tells the sender about a delivery, a little later. */
    private void report(long to, java.util.function.Consumer<SimNode> action) {
        SimNode n = nodes.get(to);
        if (n == null) {
            return;
        }
        int life = n.incarnation();
        events.after(1 + random.nextInt(5), () -> {
            if (n.incarnation() == life && n.isUp()) {
                action.accept(n);
                afterInput(n);
            }
        });
    }

    // ---- what the nodes report while processing a Ready ---------------------------------

    @Override
    public void persisted(SimNode node, List<Entry> entries) {
        checker.persisted(node, entries);
    }

    @Override
    public void hardStatePersisted(SimNode node, HardState hardState) {
        checker.hardStatePersisted(node, hardState);
    }

    @Override
    public void snapshotInstalled(SimNode node, Snapshot snapshot) {
        checker.snapshotInstalled(node, snapshot);
        workload.progressed(node);
    }

    @Override
    public void applied(SimNode node, Entry entry) {
        checker.applied(node, entry);
        workload.applied(node, entry);
        if (entry.type() == EntryType.CONF_CHANGE) {
            ConfChange change = ConfChange.decode(entry.data());
            if (change.type() == ConfChangeType.REMOVE_MEMBER) {
                membership.removed(change.memberId(), entry.index(), node.app().conf().voters());
            }
            if (entry.index() > lastConfChangeCounted) {
                // Counted once, by whichever node applies it first.
                lastConfChangeCounted = entry.index();
                stats.confChangesApplied++;
            }
        }
    }

    @Override
    public void readReleased(SimNode node, ReadState read) {
        checker.readReleased(node, read);
        workload.readReleased(node, read);
    }

    @Override
    public void leaderPersisted(SimNode node) {
        checker.leaderPersisted(node);
    }

    // ---- the liveness phase ------------------------------------------------------------

    private void liveness() {
        chaos = false;
        probes.cancel();
        network.setWeather(SimNetwork.Weather.CALM);
        network.healAll();
        restartAll();
        trace("faults stop: liveness phase begins");
        long end = params.safetyMs() + params.livenessMs();
        events.runUntil(end);
        workload.stopIssuing();
        long deadline = end + params.drainMs();
        while (events.now() < deadline && !converged()) {
            events.runUntil(events.now() + SimParams.TICK_MS);
        }
        if (!converged()) {
            throw new SimulationFailure("Liveness", "no convergence " + params.drainMs() + "ms after "
                    + params.livenessMs() + "ms without faults: " + describe());
        }
        workload.checkNoAcknowledgedWriteLost(leader());
    }

    void restartAll() {
        for (SimNode n : nodes.values()) {
            if (!n.isUp() && !decommissioned.contains(n.id())) {
                start(n);
            }
        }
    }

    /** One leader that every member follows, every request answered, every member caught up. */
    private boolean converged() {
        SimNode leader = leader();
        if (leader == null || !workload.idle()) {
            return false;
        }
        long commit = leader.raft().commitIndex();
        for (long id : leader.raft().config().members()) {
            SimNode n = nodes.get(id);
            if (n == null || !n.isUp() || n.raft().leaderId() != leader.id() || n.raft().term() != leader.raft().term()
                    || n.app().appliedIndex() != commit) {
                return false;
            }
        }
        return true;
    }

    /** The leader with the highest term among the nodes that are up, if any. */
    SimNode leader() {
        return SimNode.leaderOf(nodes.values());
    }

    SimNode randomUpNode() {
        List<SimNode> up = new ArrayList<>();
        for (SimNode n : nodes.values()) {
            if (n.isUp()) {
                up.add(n);
            }
        }
        return up.isEmpty() ? null : up.get(random.nextInt(up.size()));
    }

    String describe() {
        StringBuilder sb = new StringBuilder();
        for (SimNode n : nodes.values()) {
            sb.append("\n  node ").append(n.id());
            if (decommissioned.contains(n.id())) {
                sb.append(" decommissioned");
            } else if (!n.isUp()) {
                sb.append(" down");
            } else {
                sb.append(' ').append(n.raft().status().role()).append(" term=").append(n.raft().term())
                        .append(" lead=").append(n.raft().leaderId()).append(" commit=")
                        .append(n.raft().commitIndex()).append(" applied=").append(n.app().appliedIndex())
                        .append(" last=").append(n.raft().lastIndex()).append(' ').append(n.raft().config());
            }
        }
        return sb.append("\n  ").append(workload.describe()).toString();
    }

    // ---- narration ---------------------------------------------------------------------

    void trace(String format, Object... args) {
        if (trace != null) {
            trace.printf("%8dms  %s%n", events.now(), String.format(format, args));
        }
    }

    private RaftLogger loggerFor(long id) {
        if (trace == null) {
            return RaftLogger.DISCARD;
        }
        return new RaftLogger() {
            @Override
            public boolean isEnabled(Level level) {
                return level != Level.DEBUG;
            }

            @Override
            public void log(Level level, String message) {
                trace.printf("%8dms  raft %s%n", events.now(), message);
            }
        };
    }
}
