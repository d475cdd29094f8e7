package dev.consensus.bench.cluster;

import com.google.protobuf.ByteString;
import dev.consensus.api.etcdserverpb.KVGrpc;
import dev.consensus.api.etcdserverpb.PutRequest;
import dev.consensus.api.etcdserverpb.PutResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The failover window: find the leader by polling {@code Status}, SIGKILL it, then start a put
 * through one of the other members every {@code probeInterval} (round-robin), each with its own
 * deadline, until one succeeds. The window runs from just before the kill to that first success,
 * so it includes noticing the loss (the election timeout), the election, and the first commit
 * under the new leader.
 *
 * <p>Why overlapping puts rather than one at a time: a put sent while there is no leader may be
 * held until its deadline, and one-at-a-time probing would then measure in steps of that
 * deadline. Started at a fixed interval, the window is exact to within the interval.
 *
 * <p>Between rounds the killed member is restarted from its data and the cluster must be whole
 * again before the next kill. Every wait is bounded by the limits given.
 */
final class FailoverProbe {

    private final LocalCluster cluster;
    private final Duration limit;
    private final Duration probeInterval;
    private final Duration probeTimeout;

    FailoverProbe(LocalCluster cluster, Duration limit, Duration probeInterval, Duration probeTimeout) {
        this.cluster = cluster;
        this.limit = limit;
        this.probeInterval = probeInterval;
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
        CompletableFuture<Long> firstSuccess = new CompletableFuture<>();
        AtomicInteger attempts = new AtomicInteger();
        AtomicReference<String> lastError = new AtomicReference<>("no put finished");
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "failover-probe");
            thread.setDaemon(true);
            return thread;
        });
        long killedAt = System.nanoTime();
        victim.kill(limit);
        try {
            timer.scheduleAtFixedRate(() -> {
                if (!firstSuccess.isDone()) {
                    int attempt = attempts.incrementAndGet();
                    probe(survivors.get(attempt % survivors.size()), round, attempt, firstSuccess, lastError);
                }
            }, 0, probeInterval.toNanos(), TimeUnit.NANOSECONDS);
            long remaining = limit.toNanos() - (System.nanoTime() - killedAt);
            long succeededAt = firstSuccess.get(Math.max(0, remaining), TimeUnit.NANOSECONDS);
            return new FailoverRound(true, Duration.ofNanos(succeededAt - killedAt), victim.name(), newLeaderName(),
                    attempts.get(), "");
        } catch (TimeoutException e) {
            return new FailoverRound(false, limit, victim.name(), newLeaderName(), attempts.get(),
                    "no put succeeded within " + limit.toMillis() + " ms; last error " + lastError.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new FailoverRound(false, limit, victim.name(), "-", attempts.get(), "interrupted");
        } catch (ExecutionException e) {
            throw new IllegalStateException("failover probe failed", e.getCause());
        } finally {
            timer.shutdownNow();
        }
    }

    private void probe(int member, int round, int attempt, CompletableFuture<Long> firstSuccess,
            AtomicReference<String> lastError) {
        PutRequest put = PutRequest.newBuilder()
                .setKey(ByteString.copyFromUtf8("bench/failover/" + round + "/" + attempt))
                .setValue(ByteString.copyFromUtf8("x"))
                .build();
        KVGrpc.newStub(cluster.channel(member))
                .withDeadlineAfter(probeTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .put(put, new StreamObserver<PutResponse>() {
                    @Override
                    public void onNext(PutResponse response) {
                        firstSuccess.complete(System.nanoTime());
                    }

                    @Override
                    public void onError(Throwable error) {
                        Status status = Status.fromThrowable(error);
                        lastError.set(status.getCode() + ": " + status.getDescription());
                    }

                    @Override
                    public void onCompleted() {
                        // The success was taken in onNext, at the moment the answer arrived.
                    }
                });
    }

    private String newLeaderName() {
        return cluster.awaitLeader(limit).map(i -> cluster.members().get(i).name()).orElse("(none found)");
    }
}
