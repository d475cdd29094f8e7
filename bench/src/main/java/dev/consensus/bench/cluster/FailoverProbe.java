package dev.consensus.bench.cluster;

import com.google.protobuf.ByteString;
import dev.consensus.api.etcdserverpb.KVGrpc;
import dev.consensus.api.etcdserverpb.PutRequest;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The failover window: find the leader by polling {@code Status}, SIGKILL it, then put through
 * the other members, round-robin, each put with a short deadline, until one succeeds. The window
 * runs from just before the kill to that success, so it includes noticing the loss (the election
 * timeout), the election, and the first commit under the new leader.
 *
 * <p>Between rounds the killed member is restarted from its data and the cluster must be whole
 * again before the next kill. Every wait is bounded by the limits given.
 */
final class FailoverProbe {

    private static final long FAILED_PUT_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final LocalCluster cluster;
    private final Duration limit;
    private final Duration probeTimeout;

    FailoverProbe(LocalCluster cluster, Duration limit, Duration probeTimeout) {
        this.cluster = cluster;
        this.limit = limit;
        this.probeTimeout = probeTimeout;
    }

    List<FailoverRound> run(int rounds, Duration restartLimit) {
        List<FailoverRound> results = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            Optional<Integer> leader = cluster.awaitLeader(limit);
            if (leader.isEmpty()) {
                results.add(new FailoverRound(false, limit, "-", "-", 0, "no leader found by Status"));
                break;
            }
            MemberProcess victim = cluster.members().get(leader.get());
            FailoverRound result = killAndProbe(victim, round);
            results.add(result);
            if (!result.recovered() || round == rounds) {
                break;
            }
            victim.start();
            cluster.awaitReady(restartLimit);
        }
        return results;
    }

    private FailoverRound killAndProbe(MemberProcess victim, int round) {
        List<Integer> survivors = new ArrayList<>();
        for (int i = 0; i < cluster.size(); i++) {
            if (cluster.members().get(i) != victim && cluster.members().get(i).alive()) {
                survivors.add(i);
            }
        }
        long killedAt = System.nanoTime();
        victim.kill(limit);
        int attempts = 0;
        String lastError = "no put tried";
        while (System.nanoTime() - killedAt < limit.toNanos()) {
            int member = survivors.get(attempts % survivors.size());
            attempts++;
            try {
                KVGrpc.newBlockingStub(cluster.channel(member))
                        .withDeadlineAfter(probeTimeout.toMillis(), TimeUnit.MILLISECONDS)
                        .put(PutRequest.newBuilder()
                                .setKey(ByteString.copyFromUtf8("bench/failover/" + round + "/" + attempts))
                                .setValue(ByteString.copyFromUtf8("x"))
                                .build());
                Duration window = Duration.ofNanos(System.nanoTime() - killedAt);
                return new FailoverRound(true, window, victim.name(), newLeaderName(), attempts, "");
            } catch (StatusRuntimeException e) {
                lastError = e.getStatus().getCode() + ": " + e.getStatus().getDescription();
                LockSupport.parkNanos(FAILED_PUT_PAUSE_NANOS);
            }
        }
        return new FailoverRound(false, limit, victim.name(), newLeaderName(), attempts,
                "no put succeeded within " + limit.toMillis() + " ms; last error " + lastError);
    }

    private String newLeaderName() {
        return cluster.awaitLeader(limit).map(i -> cluster.members().get(i).name()).orElse("(none found)");
    }
}
