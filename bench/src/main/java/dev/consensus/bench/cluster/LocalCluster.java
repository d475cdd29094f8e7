package dev.consensus.bench.cluster;

import dev.consensus.api.etcdserverpb.MaintenanceGrpc;
import dev.consensus.api.etcdserverpb.StatusRequest;
import dev.consensus.api.etcdserverpb.StatusResponse;
import dev.consensus.bench.load.Endpoint;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A cluster of real server processes on 127.0.0.1, started with etcd's flags: own ports, own
 * data directories under the directory it is given, one log file per member.
 *
 * <p>Promises: {@link #start} returns once every member answers {@code Status} naming the same
 * leader, or fails within the start timeout with the end of the failing member's log (after
 * stopping what it started); if another process took a port first, it starts again on fresh
 * ports. {@link #close} stops every member it started, by PID (SIGTERM, then SIGKILL), and
 * deletes nothing.
 */
public final class LocalCluster implements AutoCloseable {

    /** Raft timing flags, in milliseconds, as etcd takes them. */
    public record Timing(int heartbeatMillis, int electionMillis) {
        public static final Timing ETCD_DEFAULT = new Timing(100, 1000);
    }

    private static final int START_ATTEMPTS = 3;
    private static final Duration STATUS_TIMEOUT = Duration.ofMillis(250);
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);
    private static final long RETRY_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final List<MemberProcess> members;
    private final List<ManagedChannel> channels;
    private final Map<Long, Integer> indexByMemberId = new HashMap<>();

    private LocalCluster(List<MemberProcess> members) {
        this.members = List.copyOf(members);
        this.channels = members.stream()
                .map(m -> (ManagedChannel) NettyChannelBuilder.forAddress(m.client().host(), m.client().port())
                        .usePlaintext().build())
                .toList();
    }

    public static LocalCluster start(ServerCommand server, int size, Path dir, Timing timing, Duration startTimeout) {
        PortTakenException lastClash = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            LocalCluster cluster = launch(server, size, dir.resolve(server.label() + "-" + attempt), timing);
            try {
                cluster.awaitReady(startTimeout);
                return cluster;
            } catch (PortTakenException e) {
                lastClash = e;
                cluster.close();
            } catch (RuntimeException e) {
                cluster.close();
                throw e;
            }
        }
        throw new IllegalStateException(server.label() + " found its ports taken " + START_ATTEMPTS + " times",
                lastClash);
    }

    private static LocalCluster launch(ServerCommand server, int size, Path dir, Timing timing) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("could not create " + dir, e);
        }
        List<Integer> ports = FreePorts.pick(2 * size);
        List<String> names = new ArrayList<>();
        List<String> peerUrls = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            names.add("m" + (i + 1));
            peerUrls.add("http://" + FreePorts.HOST + ":" + ports.get(size + i));
        }
        StringBuilder initialCluster = new StringBuilder();
        for (int i = 0; i < size; i++) {
            initialCluster.append(i == 0 ? "" : ",").append(names.get(i)).append('=').append(peerUrls.get(i));
        }
        String token = "bench-" + Long.toString(System.nanoTime(), 36);
        List<MemberProcess> members = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            Endpoint client = new Endpoint(FreePorts.HOST, ports.get(i));
            List<String> command = new ArrayList<>(server.program());
            command.addAll(List.of(
                    "--name=" + names.get(i),
                    "--data-dir=" + dir.resolve(names.get(i) + ".data"),
                    "--listen-client-urls=" + client.url(),
                    "--advertise-client-urls=" + client.url(),
                    "--listen-peer-urls=" + peerUrls.get(i),
                    "--initial-advertise-peer-urls=" + peerUrls.get(i),
                    "--initial-cluster=" + initialCluster,
                    "--initial-cluster-state=new",
                    "--initial-cluster-token=" + token,
                    "--heartbeat-interval=" + timing.heartbeatMillis(),
                    "--election-timeout=" + timing.electionMillis()));
            command.addAll(server.extraFlags());
            members.add(new MemberProcess(names.get(i), client, command, dir.resolve(names.get(i) + ".log")));
        }
        LocalCluster cluster = new LocalCluster(members);
        try {
            members.forEach(MemberProcess::start);
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /**
     * Waits until every live member answers {@code Status} and all name the same leader, which is
     * itself alive; learns each member's ID on the way.
     */
    public void awaitReady(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        String lastProblem = "no member answered yet";
        while (System.nanoTime() - deadline < 0) {
            checkNoneExited();
            Optional<String> problem = readinessProblem();
            if (problem.isEmpty()) {
                return;
            }
            lastProblem = problem.get();
            LockSupport.parkNanos(RETRY_PAUSE_NANOS);
        }
        throw new IllegalStateException("the cluster was not ready within " + limit.toMillis() + " ms (" + lastProblem
                + "); the end of " + members.get(0).log() + ":\n" + members.get(0).logTail());
    }

    private void checkNoneExited() {
        for (MemberProcess member : members) {
            if (member.pid() > 0 && !member.alive() && !member.wasKilledOnPurpose()) {
                String tail = member.logTail();
                if (tail.contains("address already in use")) {
                    throw new PortTakenException(member.name() + ": " + tail);
                }
                throw new IllegalStateException(member.name() + " exited before the cluster was ready; the end of "
                        + member.log() + ":\n" + tail);
            }
        }
    }

    private Optional<String> readinessProblem() {
        long leader = 0;
        for (int i = 0; i < members.size(); i++) {
            if (!members.get(i).alive()) {
                continue;
            }
            StatusResponse status;
            try {
                status = status(i);
            } catch (StatusRuntimeException e) {
                channels.get(i).resetConnectBackoff();
                return Optional.of(members.get(i).name() + ": " + e.getStatus());
            }
            indexByMemberId.put(status.getHeader().getMemberId(), i);
            if (status.getLeader() == 0 || (leader != 0 && status.getLeader() != leader)) {
                return Optional.of(members.get(i).name() + " reports leader " + status.getLeader());
            }
            leader = status.getLeader();
        }
        Integer leaderIndex = indexByMemberId.get(leader);
        if (leaderIndex == null || !members.get(leaderIndex).alive()) {
            return Optional.of("the leader " + Long.toHexString(leader) + " is not a live member");
        }
        return Optional.empty();
    }

    /** One {@code Status} call to member {@code index}, with a short deadline. */
    public StatusResponse status(int index) {
        return MaintenanceGrpc.newBlockingStub(channels.get(index))
                .withDeadlineAfter(STATUS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .status(StatusRequest.getDefaultInstance());
    }

    /**
     * Polls {@code Status} on the live members until one reports a leader that is a live member;
     * returns that member's index, or empty if none did within {@code limit}.
     */
    public Optional<Integer> awaitLeader(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() - deadline < 0) {
            for (int i = 0; i < members.size(); i++) {
                if (!members.get(i).alive()) {
                    continue;
                }
                try {
                    StatusResponse status = status(i);
                    indexByMemberId.put(status.getHeader().getMemberId(), i);
                    Integer leader = indexByMemberId.get(status.getLeader());
                    if (leader != null && members.get(leader).alive()) {
                        return Optional.of(leader);
                    }
                } catch (StatusRuntimeException e) {
                    channels.get(i).resetConnectBackoff();
                }
            }
            LockSupport.parkNanos(RETRY_PAUSE_NANOS);
        }
        return Optional.empty();
    }

    public List<Endpoint> endpoints() {
        return members.stream().map(MemberProcess::client).toList();
    }

    List<MemberProcess> members() {
        return members;
    }

    public int size() {
        return members.size();
    }

    public ManagedChannel channel(int index) {
        return channels.get(index);
    }

    /** The server's version as {@code Status} reports it, or a note saying why it is unknown. */
    public String version() {
        for (int i = 0; i < members.size(); i++) {
            if (members.get(i).alive()) {
                try {
                    return status(i).getVersion();
                } catch (StatusRuntimeException e) {
                    // Try the next member.
                }
            }
        }
        return "(unknown: no member answered Status)";
    }

    public long pid(int index) {
        return members.get(index).pid();
    }

    /** The command line of member {@code index}, for the report. */
    public List<String> command(int index) {
        return members.get(index).command();
    }

    @Override
    public void close() {
        channels.forEach(ManagedChannel::shutdownNow);
        // Members first get SIGTERM together, so the last does not wait out the others' grace.
        for (MemberProcess member : members) {
            member.terminate();
        }
        for (MemberProcess member : members) {
            member.stop(STOP_GRACE);
        }
    }

    /** A member could not bind its ports because another process took one first. */
    private static final class PortTakenException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PortTakenException(String logTail) {
            super("a member could not bind its ports:\n" + logTail);
        }
    }
}
