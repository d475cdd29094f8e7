package dev.consensus.faults.harness;

import dev.consensus.api.etcdserverpb.ClusterGrpc;
import dev.consensus.api.etcdserverpb.MaintenanceGrpc;
import dev.consensus.api.etcdserverpb.Member;
import dev.consensus.api.etcdserverpb.MemberAddRequest;
import dev.consensus.api.etcdserverpb.MemberListRequest;
import dev.consensus.api.etcdserverpb.MemberPromoteRequest;
import dev.consensus.api.etcdserverpb.MemberRemoveRequest;
import dev.consensus.api.etcdserverpb.StatusRequest;
import dev.consensus.api.etcdserverpb.StatusResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Real store-node members on their own loopback addresses, their peer links through
 * {@link PeerNetwork}'s proxies, and one client channel per member. Slots 1..size start as the
 * cluster; the spare slots are for learners added later. Data directories survive kills and
 * restarts; {@link #close} ends only the processes this cluster started, by PID.
 */
final class Cluster implements AutoCloseable {

    /** One member slot: its process (replaced on restart) and what the cluster thinks of it. */
    static final class Node {
        final int slot;
        final String name;
        final Path dataDir;
        final Path log;
        List<String> args;
        NodeProcess process;
        long memberId;
        boolean paused;
        boolean removed;
        /** Added as a learner and not (yet) known to be promoted: it serves no linearizable read. */
        boolean learner;

        Node(int slot, Path dir) {
            this.slot = slot;
            this.name = "m" + slot;
            this.dataDir = dir.resolve(name + "-data");
            this.log = dir.resolve(name + ".log");
        }

        boolean running() {
            return process != null && process.isAlive();
        }
    }

    private final Path dir;
    private final PeerNetwork network;
    private final List<String> extraFlags;
    private final Map<Integer, Node> nodes = new TreeMap<>();
    private final Map<Integer, ManagedChannel> channels = new TreeMap<>();
    private final String token;
    private final List<String> jvmOptions;

    /** {@code archive}: a class-data-sharing archive for the members' JVMs, when there is one. */
    Cluster(Path dir, PeerNetwork network, List<String> extraFlags, String token, Optional<Path> archive) {
        this.jvmOptions = archive.map(a -> List.of("-XX:SharedArchiveFile=" + a)).orElse(List.of());
        this.dir = dir;
        this.network = network;
        this.extraFlags = List.copyOf(extraFlags);
        this.token = token;
        for (int slot = 1; slot <= network.slots(); slot++) {
            channels.put(slot, NettyChannelBuilder.forAddress(network.memberHost(slot), network.clientPort(slot))
                    .usePlaintext().build());
        }
    }

    PeerNetwork network() {
        return network;
    }

    ManagedChannel channel(int slot) {
        return channels.get(slot);
    }

    /**
     * Makes the member's channel try to connect at the next call. A channel whose connections were
     * refused for a while (the member down, restarted again and again) waits longer and longer
     * between attempts, up to two minutes, and meanwhile fails every call at once with the last
     * "Connection refused": a member that is back would look unreachable.
     */
    void reconnectNow(int slot) {
        ManagedChannel c = channels.get(slot);
        if (c != null) {
            c.resetConnectBackoff();
        }
    }

    /** Starts members 1..size as a new cluster and waits until each serves clients and knows a leader. */
    void start(int size) {
        List<String> initial = new ArrayList<>();
        for (int slot = 1; slot <= size; slot++) {
            initial.add("m" + slot + "=" + network.advertisedPeerUrl(slot));
        }
        for (int slot = 1; slot <= size; slot++) {
            Node n = new Node(slot, dir);
            nodes.put(slot, n);
            n.args = flags(n, String.join(",", initial), "new");
            launch(n);
        }
        for (Node n : nodes.values()) {
            n.process.awaitPort(network.memberHost(n.slot), network.clientPort(n.slot), Duration.ofSeconds(60));
        }
        awaitLeader(Duration.ofSeconds(30));
        refreshMemberIds();
    }

    private List<String> flags(Node n, String initialCluster, String state) {
        List<String> flags = new ArrayList<>(List.of(
                "--name", n.name, "--data-dir", n.dataDir.toString(),
                "--listen-client-urls", network.clientUrl(n.slot),
                "--advertise-client-urls", network.clientUrl(n.slot),
                "--listen-peer-urls", network.listenPeerUrl(n.slot),
                "--initial-advertise-peer-urls", network.advertisedPeerUrl(n.slot),
                "--initial-cluster", initialCluster, "--initial-cluster-state", state,
                "--initial-cluster-token", token));
        flags.addAll(extraFlags);
        return flags;
    }

    private void launch(Node n) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        n.process = NodeProcess.start(n.args, network.hostsFile(n.slot), n.log, jvmOptions);
        n.paused = false;
        reconnectNow(n.slot);
    }

    List<Node> nodes() {
        return List.copyOf(nodes.values());
    }

    Node node(int slot) {
        return nodes.get(slot);
    }

    /** Members not removed (voters and learners), running or not. */
    List<Node> members() {
        return nodes.values().stream().filter(n -> !n.removed).toList();
    }

    void kill(int slot) {
        Node n = nodes.get(slot);
        n.process.kill();
        n.paused = false;
    }

    /** Starts a killed member again with its flags and data directory; does not wait for it. */
    void restart(int slot) {
        Node n = nodes.get(slot);
        if (n.running()) {
            return;
        }
        launch(n);
    }

    void pause(int slot) {
        Node n = nodes.get(slot);
        n.process.pause();
        n.paused = true;
    }

    void resume(int slot) {
        Node n = nodes.get(slot);
        n.process.resume();
        n.paused = false;
    }

    /** The slot of the member some running member names as leader and that says so itself. */
    Optional<Integer> leader() {
        for (Node n : members()) {
            if (!n.running() || n.paused) {
                continue;
            }
            try {
                StatusResponse s = MaintenanceGrpc.newBlockingStub(channel(n.slot))
                        .withDeadlineAfter(1, TimeUnit.SECONDS).status(StatusRequest.getDefaultInstance());
                if (s.getLeader() != 0 && s.getLeader() == s.getHeader().getMemberId()) {
                    return Optional.of(n.slot);
                }
            } catch (RuntimeException unreachable) {
                // Down, paused or cut off; ask the next one.
            }
        }
        return Optional.empty();
    }

    /** A member's Status (applied index, alarms), or empty when it does not answer within a second. */
    Optional<StatusResponse> status(int slot) {
        try {
            return Optional.of(MaintenanceGrpc.newBlockingStub(channel(slot)).withDeadlineAfter(1, TimeUnit.SECONDS)
                    .status(StatusRequest.getDefaultInstance()));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Waits (bounded) until some member is leader; fails with the members' logs otherwise. */
    int awaitLeader(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Integer> l = leader();
            if (l.isPresent()) {
                return l.get();
            }
            NodeProcess.sleep(200);
        }
        StringBuilder logs = new StringBuilder();
        for (Node n : members()) {
            logs.append("--- ").append(n.name).append(n.running() ? "" : " (not running)").append('\n')
                    .append(n.process == null ? "" : n.process.logTail()).append('\n');
        }
        throw new IllegalStateException("no leader within " + timeout + "\n" + logs);
    }

    private List<Member> memberList() {
        RuntimeException last = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            for (Node n : members()) {
                if (!n.running() || n.paused) {
                    continue;
                }
                try {
                    return ClusterGrpc.newBlockingStub(channel(n.slot)).withDeadlineAfter(2, TimeUnit.SECONDS)
                            .memberList(MemberListRequest.newBuilder().setLinearizable(true).build()).getMembersList();
                } catch (RuntimeException e) {
                    last = e;
                }
            }
            NodeProcess.sleep(250);
        }
        throw new IllegalStateException("no member answered MemberList", last);
    }

    private void refreshMemberIds() {
        for (Member m : memberList()) {
            for (Node n : nodes.values()) {
                if (m.getPeerURLsList().contains(network.advertisedPeerUrl(n.slot))) {
                    n.memberId = m.getID();
                }
            }
        }
    }

    /**
     * A slot for a new member: one never used, else one whose member was removed and whose
     * process has ended (its data directory is wiped when the new member starts there).
     */
    Optional<Integer> freeSlot() {
        for (int slot = 1; slot <= network.slots(); slot++) {
            if (!nodes.containsKey(slot)) {
                return Optional.of(slot);
            }
        }
        for (Node n : nodes.values()) {
            if (n.removed && !n.running()) {
                return Optional.of(n.slot);
            }
        }
        return Optional.empty();
    }

    /** MemberAdd as a learner through {@code via}, then starts it with --initial-cluster-state existing. */
    Node addLearner(int slot, int via) {
        Member added = ClusterGrpc.newBlockingStub(channel(via)).withDeadlineAfter(5, TimeUnit.SECONDS)
                .memberAdd(MemberAddRequest.newBuilder().addPeerURLs(network.advertisedPeerUrl(slot))
                        .setIsLearner(true).build()).getMember();
        Node n = new Node(slot, dir);
        FaultRun.deleteTree(n.dataDir); // a removed member's data, when the slot is reused
        n.memberId = added.getID();
        n.learner = true;
        nodes.put(slot, n);
        List<String> initial = new ArrayList<>();
        for (Node m : members()) {
            initial.add(m.name + "=" + network.advertisedPeerUrl(m.slot));
        }
        n.args = flags(n, String.join(",", initial), "existing");
        launch(n);
        return n;
    }

    /**
     * MemberPromote through {@code via}; the server refuses while the learner lags, which the
     * caller retries. "can only promote a learner member" means an earlier promote whose answer
     * was lost did commit: the member is a voter, which is what was asked.
     */
    void promote(int slot, int via) {
        Node n = nodes.get(slot);
        try {
            ClusterGrpc.newBlockingStub(channel(via)).withDeadlineAfter(5, TimeUnit.SECONDS)
                    .memberPromote(MemberPromoteRequest.newBuilder().setID(n.memberId).build());
        } catch (RuntimeException e) {
            if (!alreadyPromoted(e)) {
                throw e;
            }
        }
        n.learner = false;
    }

    /** The refusal that says the member is no learner any more (not the "in sync" one, which says it lags). */
    static boolean alreadyPromoted(Throwable t) {
        String d = io.grpc.Status.fromThrowable(t).getDescription();
        return "etcdserver: can only promote a learner member".equals(d);
    }

    /**
     * MemberRemove, asked of each other live member in turn until one answers (bounded). An
     * answer can be lost while the removal still commits, so after a failure the member list
     * decides: a member no longer listed is removed. Its process is stopped by the caller.
     */
    void remove(int slot) {
        Node victim = nodes.get(slot);
        RuntimeException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            for (Node n : members()) {
                if (n.slot == slot || !n.running() || n.paused) {
                    continue;
                }
                try {
                    ClusterGrpc.newBlockingStub(channel(n.slot)).withDeadlineAfter(5, TimeUnit.SECONDS)
                            .memberRemove(MemberRemoveRequest.newBuilder().setID(victim.memberId).build());
                    victim.removed = true;
                    return;
                } catch (RuntimeException e) {
                    last = e;
                    if (memberList().stream().noneMatch(m -> m.getID() == victim.memberId)) {
                        victim.removed = true;
                        return;
                    }
                }
            }
            NodeProcess.sleep(500);
        }
        throw last != null ? last : new IllegalStateException("no live member to ask to remove " + victim.name);
    }

    @Override
    public void close() {
        // SIGKILL all at once: nothing of theirs is checked after this, and waiting for clean
        // shutdowns one by one would double a short run.
        for (Node n : nodes.values()) {
            if (n.process != null) {
                n.process.killNow();
            }
        }
        for (Node n : nodes.values()) {
            if (n.process != null && !n.process.awaitExit(Duration.ofSeconds(20))) {
                throw new IllegalStateException(n.name + " (pid " + n.process.pid() + ") survived SIGKILL");
            }
        }
        for (ManagedChannel c : channels.values()) {
            c.shutdownNow();
        }
        for (ManagedChannel c : channels.values()) {
            try {
                c.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
